import type { LocalDate, Period } from '../calendar';
import type { ShownCount } from '../small-counts';
import type { Cadence, CommitmentOwner } from './citizen-promise.events';
import type { CommitmentStatus, PromiseTimeline } from './commitment-timeline';

/**
 * "Vi lovade – vi gjorde": what the partnership promised the residents and what it has done so
 * far, as anyone may read it without signing in. Built from the commitment timeline by taking,
 * not by hiding: counts, dates, kinds of work and the registered places it was done at. Never
 * the free text of an activity (outcomes may name people), never a place typed as free text
 * (it may be an address), never who took part, and restricted work (prevention talks) only as
 * the blurred count the partnership's shared views show.
 */
export interface ResidentsCommitment {
  readonly commitmentId: string;
  readonly description: string;
  readonly owner: CommitmentOwner;
  readonly problemAreas: readonly string[];
  readonly status: Exclude<CommitmentStatus, 'withdrawn'>;
  readonly fulfilment: {
    readonly cadence: Cadence;
    readonly periodsDue: number;
    readonly periodsFulfilled: number;
  } | null;
  /** Activities under it and work credited to it, withdrawn activities not counted. */
  readonly done: number;
  /** Work done in confidence (prevention talks): a count, 1–4 blurred; null when none. */
  readonly doneInConfidence: ShownCount | null;
  readonly firstDoneOn: LocalDate | null;
  readonly lastDoneOn: LocalDate | null;
  /** What was done, by kind (traffic-control, safety-walk…), most frequent first. */
  readonly kinds: readonly { readonly kind: string; readonly count: number }[];
  /** The registered places it was done at, by name, most frequent first. */
  readonly places: readonly { readonly placeId: string; readonly name: string }[];
}

export interface ResidentsPromise {
  readonly promiseId: string;
  readonly title: string;
  readonly period: Period;
  readonly commitments: readonly ResidentsCommitment[];
}

export function residentsPromise(
  timeline: PromiseTimeline,
  placeNames: ReadonlyMap<string, string>,
): ResidentsPromise {
  return {
    promiseId: timeline.promiseId,
    title: timeline.title,
    period: timeline.range,
    commitments: timeline.commitments.flatMap((c): ResidentsCommitment[] => {
      if (c.status === 'withdrawn') return [];
      const work = [
        ...c.activities
          .filter((a) => a.status !== 'withdrawn')
          .map((a) => ({ kind: a.kind, date: a.date, placeIds: a.placeIds })),
        ...c.creditedWork.map((w) => ({ kind: w.kind, date: w.date, placeIds: w.placeIds })),
      ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      const kinds = new Map<string, number>();
      const places = new Map<string, number>();
      for (const w of work) {
        kinds.set(w.kind, (kinds.get(w.kind) ?? 0) + 1);
        for (const id of w.placeIds)
          if (placeNames.has(id)) places.set(id, (places.get(id) ?? 0) + 1);
      }
      const byCount = <K>(m: Map<K, number>) => [...m].sort((a, b) => b[1] - a[1]);
      return [
        {
          commitmentId: c.commitmentId,
          description: c.description,
          owner: c.owner,
          problemAreas: c.problemAreas.map((p) => p.name),
          status: c.status,
          fulfilment: c.fulfilment
            ? {
                cadence: c.fulfilment.cadence,
                periodsDue: c.fulfilment.periodsDue,
                periodsFulfilled: c.fulfilment.periodsFulfilled,
              }
            : null,
          done: work.length,
          doneInConfidence: c.restrictedWork,
          firstDoneOn: work[0]?.date ?? null,
          lastDoneOn: work.at(-1)?.date ?? null,
          kinds: byCount(kinds).map(([kind, count]) => ({ kind, count })),
          places: byCount(places).map(([placeId]) => ({ placeId, name: placeNames.get(placeId)! })),
        },
      ];
    }),
  };
}
