import { CREDIT_EVENT_TYPES, type CreditedWork, type CreditEvent } from './citizen-promise.events';

/** A credit as the promise's views see it: from any work stream, standing or withdrawn. */
export interface CreditEntry {
  /** The work's stream, where the credit was recorded. */
  readonly streamId: string;
  readonly promiseId: string;
  readonly commitmentId: string;
  readonly work: CreditedWork;
  readonly standing: boolean;
  readonly withdrawalReason: string | null;
}

export interface CreditRecord {
  readonly streamId: string;
  readonly event: CreditEvent;
}

const key = (streamId: string, promiseId: string, commitmentId: string, workId: string) =>
  `${streamId}\u0000${promiseId}\u0000${commitmentId}\u0000${workId}`;

/**
 * Every credit of the given records in the order first credited; a credit withdrawn and given
 * again stands. Folding the log up to a position gives the credits as they stood then, which is
 * what time travel and a rebuild stopped at that position must both show.
 */
export function foldCredits(records: Iterable<CreditRecord>, promiseId?: string): CreditEntry[] {
  const credits = new Map<string, CreditEntry>();
  for (const { streamId, event } of records) {
    const d = event.data;
    if (promiseId !== undefined && d.promiseId !== promiseId) continue;
    if (event.type === 'CommitmentCredited') {
      credits.set(key(streamId, d.promiseId, d.commitmentId, event.data.work.workId), {
        streamId,
        promiseId: d.promiseId,
        commitmentId: d.commitmentId,
        work: event.data.work,
        standing: true,
        withdrawalReason: null,
      });
    } else {
      const k = key(streamId, d.promiseId, d.commitmentId, event.data.workId);
      const before = credits.get(k);
      if (before)
        credits.set(k, { ...before, standing: false, withdrawalReason: event.data.reason });
    }
  }
  return [...credits.values()];
}

/** The credits among one stream's events (a walk's, a talk's), as the stream's read shows them. */
export function creditsInStream(
  events: readonly { readonly streamId: string; readonly type: string; readonly data: unknown }[],
): CreditEntry[] {
  return foldCredits(
    events
      .filter((e) => (CREDIT_EVENT_TYPES as readonly string[]).includes(e.type))
      .map((e) => ({ streamId: e.streamId, event: e as unknown as CreditEvent })),
  );
}
