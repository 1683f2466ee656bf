import type { Actor } from '@samverkan/domain/actor';

/** What a command carries besides its domain data, taken from the request by the edge. */
export interface CommandMeta {
  readonly actor: Actor;
  /** When the command was issued. */
  readonly at: Date;
  readonly correlationId: string;
  /** From If-Match: write only if the stream is still at this revision. */
  readonly expectedRevision?: number;
  /** With an Idempotency-Key: the ids the command's events get, the same on every retry. */
  readonly eventIds?: { eventId(index: number): string };
}

/** A command as a controller builds it: the actor and time are added from the request. */
export type WithoutIssued<T> = T extends unknown ? Omit<T, 'by' | 'at'> : never;
