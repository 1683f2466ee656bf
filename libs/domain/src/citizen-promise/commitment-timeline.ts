import type { Period } from '../calendar';
import type { ShownCount } from '../small-counts';
import type { Cadence, CommitmentOwner } from './citizen-promise.events';
import type { PromiseDocument } from './citizen-promise.view';
import type { CreditEntry } from './commitment-credit-ledger';
import {
  commitmentsFollowUp,
  type CommitmentFollowUp,
  type DoneWork,
} from './commitments-follow-up';

/** Met in at least this share of the periods due: on track. */
const ON_TRACK = 0.75;

export type CommitmentStatus =
  /** Withdrawn by a revision of the promise. */
  | 'withdrawn'
  /** A cadence, but no whole period of it has passed yet. */
  | 'not-yet-due'
  | 'on-track'
  | 'behind'
  /** No cadence: done at least once. */
  | 'active'
  | 'no-activity';

export interface CommitmentTimeline {
  readonly commitmentId: string;
  readonly description: string;
  readonly owner: CommitmentOwner;
  readonly problemAreas: readonly { readonly rank: number; readonly name: string }[];
  readonly cadence: Cadence | null;
  readonly status: CommitmentStatus;
  /** E.g. "met in 41 of 52 weeks"; null without a cadence. */
  readonly fulfilmentText: string | null;
  readonly fulfilment: CommitmentFollowUp['fulfilment'];
  /** Every activity under it in date order, withdrawn ones marked and not counted. */
  readonly activities: readonly PromiseDocument['activities'][number][];
  /** Work done elsewhere and credited to it, in date order (within the range). */
  readonly creditedWork: readonly DoneWork[];
  /** Credited work the partnership's shared views show only as a count (prevention talks). */
  readonly restrictedWork: ShownCount | null;
}

export interface PromiseTimeline {
  readonly promiseId: string;
  readonly title: string;
  readonly range: Period;
  readonly commitments: readonly CommitmentTimeline[];
}

const UNITS: Record<Cadence['per'], string> = {
  week: 'weeks',
  month: 'months',
  quarter: 'quarters',
  year: 'years',
};

/** Each commitment of a promise with what was done under it and its fulfilment in `range`. */
export function commitmentTimeline(
  doc: PromiseDocument,
  credits: readonly CreditEntry[],
  range: Period,
): PromiseTimeline {
  const report = commitmentsFollowUp(doc, credits, range);
  const followUps = new Map<string, CommitmentFollowUp>();
  for (const c of [...report.problemAreas.flatMap((p) => p.commitments), ...report.general]) {
    followUps.set(c.commitmentId, c);
  }
  return {
    promiseId: doc.promiseId,
    title: doc.title,
    range,
    commitments: doc.commitments.map((c) => {
      const followUp = followUps.get(c.commitmentId)!;
      const fulfilment = followUp.fulfilment;
      let status: CommitmentStatus;
      if (c.withdrawn) status = 'withdrawn';
      else if (fulfilment) {
        if (fulfilment.periodsDue === 0) status = 'not-yet-due';
        else {
          status =
            fulfilment.periodsFulfilled / fulfilment.periodsDue >= ON_TRACK ? 'on-track' : 'behind';
        }
      } else {
        const done = followUp.activities + followUp.creditedWork;
        // Restricted work counts over the whole period, so it cannot say what this range holds.
        status = done > 0 ? 'active' : 'no-activity';
      }
      return {
        commitmentId: c.commitmentId,
        description: c.description,
        owner: c.owner,
        problemAreas: doc.problemAreas
          .filter((p) => c.problemAreaRanks.includes(p.rank))
          .map((p) => ({ rank: p.rank, name: p.name })),
        cadence: c.cadence ?? null,
        status,
        fulfilmentText: fulfilment
          ? `met in ${fulfilment.periodsFulfilled} of ${fulfilment.periodsDue} ${UNITS[fulfilment.cadence.per]}`
          : null,
        fulfilment,
        activities: doc.activities
          .filter((a) => a.commitmentId === c.commitmentId)
          .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
        creditedWork: followUp.work.filter((w) => w.source === 'credit'),
        restrictedWork: followUp.restrictedWork,
      };
    }),
  };
}
