import { Logger } from '@nestjs/common';
import type { Decider, DomainEvent } from '@samverkan/domain/decider';
import { currentSchemaVersion } from '@samverkan/domain/event-schemas';
import { ConcurrencyError } from '@samverkan/event-store/event-store.errors';
import type {
  EventStore,
  JsonObject,
  NewEvent,
  RecordedEvent,
} from '@samverkan/event-store/event-store.port';
import type { CommandMeta } from './command-meta';
import type { WriteResult } from './write-result';

const logger = new Logger('Commands');

/** Tries with fresh state this many times when another writer got in between. */
export const MAX_ATTEMPTS = 4;

export interface LoadedStream<State> {
  readonly state: State;
  /** The revision of the stream's last event; null when it has none. */
  readonly revision: number | null;
  readonly events: readonly RecordedEvent[];
}

export async function loadStream<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  streamId: string,
): Promise<LoadedStream<State>> {
  let state = decider.initialState;
  let revision: number | null = null;
  const events: RecordedEvent[] = [];
  for await (const recorded of store.readStream(streamId)) {
    state = decider.evolve(state, { type: recorded.type, data: recorded.data } as unknown as Event);
    revision = recorded.revision;
    events.push(recorded);
  }
  return { state, revision, events };
}

/**
 * The whole of a command handler: load the stream, decide, append with the revision the
 * decision was made on. If another writer appended in between, the decision may be stale, so
 * it is made again on fresh state, a bounded number of times; a caller that named a revision
 * (If-Match) gets the conflict at once instead.
 */
export async function runDecider<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  streamId: string,
  command: Command | ((state: State) => Command),
  meta: CommandMeta,
): Promise<WriteResult> {
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadStream(store, decider, streamId);
    const replayed = meta.eventIds && replay(streamId, loaded.events, meta.eventIds);
    if (replayed) return replayed;
    // Every refusal comes before the revision is compared: deciders check who may act before
    // anything else, and a 409 carrying the current revision would tell a caller who may not
    // act on the stream (or reuses its id) that it exists, and how far it has come.
    const events = decider.decide(
      typeof command === 'function'
        ? (command as (state: State) => Command)(loaded.state)
        : command,
      loaded.state,
    );
    if (meta.expectedRevision !== undefined && meta.expectedRevision !== loaded.revision) {
      throw new ConcurrencyError(streamId, meta.expectedRevision, loaded.revision);
    }
    const toAppend: NewEvent[] = events.map((event, index) => ({
      ...(meta.eventIds ? { eventId: meta.eventIds.eventId(index) } : {}),
      type: event.type,
      schemaVersion: currentSchemaVersion(event.type),
      data: event.data as JsonObject,
      occurredAt: meta.at,
    }));
    try {
      const result = await store.append(streamId, toAppend, {
        expectedRevision: loaded.revision ?? 'no_stream',
        actor: meta.actor,
        correlationId: meta.correlationId,
      });
      // What a request wrote, for following it through the log (the correlation id comes
      // with the request's context). Types and positions only: stream ids can name a case.
      logger.debug({
        message: `Appended ${events.map((e) => e.type).join(', ')} through position ${result.globalPosition}`,
        position: result.globalPosition,
        attempt,
      });
      return {
        streamId,
        streamRevision: result.streamRevision,
        globalPosition: result.globalPosition,
        events: result.events.map((e, i) => ({ ...e, type: events[i]!.type })),
      };
    } catch (error) {
      if (
        !(error instanceof ConcurrencyError) ||
        meta.expectedRevision !== undefined ||
        attempt >= MAX_ATTEMPTS
      ) {
        throw error;
      }
      logger.debug(`The stream changed while deciding; attempt ${attempt + 1}`);
    }
  }
}

/**
 * A retry of a command whose events are in the stream already (its first attempt appended,
 * then the answer was lost): answer from those events instead of deciding again.
 */
function replay(
  streamId: string,
  recorded: readonly RecordedEvent[],
  ids: { eventId(index: number): string },
): WriteResult | undefined {
  const byId = new Map(recorded.map((e) => [e.eventId, e]));
  const found: RecordedEvent[] = [];
  for (let i = 0; byId.has(ids.eventId(i)); i++) found.push(byId.get(ids.eventId(i))!);
  if (found.length === 0) return undefined;
  const last = found[found.length - 1]!;
  return {
    streamId,
    streamRevision: last.revision,
    globalPosition: last.globalPosition,
    events: found.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      revision: e.revision,
      globalPosition: e.globalPosition,
    })),
  };
}
