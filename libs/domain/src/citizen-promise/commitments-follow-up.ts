import { addDays, isWithin, weekStart, type LocalDate, type Period } from '../calendar';
import { unreachable } from '../decider';
import { blurredCount, type ShownCount } from '../small-counts';
import { isRestrictedWork, type Cadence, type WorkKind } from './citizen-promise.events';
import type { PromiseDocument } from './citizen-promise.view';
import type { CreditEntry } from './commitment-credit-ledger';

/**
 * What each commitment of a promise got done in a period, computed from the log: its own
 * activities, and work done elsewhere credited to it (a safety walk, a confirmed situation
 * picture, a held prevention talk...), each on the day it was done. Fulfilment is measured
 * against the cadence ("held in 15 of 17 weeks", with the weeks missed). Every number is a count
 * of events in the log, so each can be traced to the events behind it.
 *
 * Restricted work (prevention talks) is only ever a count here, blurred below 5: no id, date or
 * place, and it is left out of the week-by-week fulfilment, whose missed weeks would date it.
 */
export interface DoneWork {
  /** `activity`: recorded under the commitment itself; `credit`: done elsewhere, credited. */
  readonly source: 'activity' | 'credit';
  /** What `id` names: an activity of the promise, a safety walk, a confirmed picture. */
  readonly workKind: Exclude<WorkKind, 'prevention-talk'>;
  /** The activity's kind (traffic-control…), or the credited work's kind for other work. */
  readonly kind: string;
  /** The activity, walk or confirmation id. */
  readonly id: string;
  readonly date: LocalDate;
  readonly placeIds: readonly string[];
  readonly unresolvedPlace?: string;
}

export interface CommitmentFollowUp {
  readonly commitmentId: string;
  readonly description: string;
  readonly owner: string;
  readonly withdrawn: boolean;
  /** Activities recorded under the commitment itself. */
  readonly activities: number;
  /** Work done elsewhere and credited to it, that this view may show. */
  readonly creditedWork: number;
  /**
   * Credited work whose content the view may not show (prevention talks): a count only, over
   * the promise's whole period (never the range asked for), 1–4 as "fewer than 5".
   */
  readonly restrictedWork: ShownCount | null;
  readonly firstDate: LocalDate | null;
  readonly lastDate: LocalDate | null;
  readonly placeIds: readonly string[];
  /** Free-text places from before the places register that matched no registered place. */
  readonly unresolvedPlaces: readonly string[];
  readonly figures: Readonly<Record<string, number>>;
  readonly fulfilment: {
    readonly cadence: Cadence;
    readonly periodsDue: number;
    readonly periodsFulfilled: number;
    /** First day of each period (week, month...) in which the cadence was not met. */
    readonly missed: readonly LocalDate[];
  } | null;
  /** What was done, in date order: activities and credited work the view may show. */
  readonly work: readonly DoneWork[];
}

export interface CommitmentsFollowUp {
  readonly promiseId: string;
  readonly title: string;
  readonly range: Period;
  readonly problemAreas: readonly {
    readonly rank: number;
    readonly code: string;
    readonly name: string;
    readonly commitments: readonly CommitmentFollowUp[];
  }[];
  /** Commitments tied to no problem area. */
  readonly general: readonly CommitmentFollowUp[];
  readonly activitiesWithdrawn: number;
}

function bucketStart(date: LocalDate, per: Cadence['per']): LocalDate {
  switch (per) {
    case 'week':
      return weekStart(date);
    case 'month':
      return `${date.slice(0, 7)}-01`;
    case 'quarter': {
      const month = Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1;
      return `${date.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
    }
    case 'year':
      return `${date.slice(0, 4)}-01-01`;
    default:
      return unreachable(per);
  }
}

function nextBucket(start: LocalDate, per: Cadence['per']): LocalDate {
  if (per === 'week') return addDays(start, 7);
  const months = per === 'month' ? 1 : per === 'quarter' ? 3 : 12;
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** Periods wholly inside the range: a week cut by the range's edge is not counted as due. */
function periodsIn(range: Period, per: Cadence['per']): LocalDate[] {
  const out: LocalDate[] = [];
  let start = bucketStart(range.from, per);
  if (start < range.from) start = nextBucket(start, per);
  for (; addDays(nextBucket(start, per), -1) <= range.to; start = nextBucket(start, per)) {
    out.push(start);
  }
  return out;
}

/**
 * The credits that count for a commitment: standing, to a commitment not withdrawn, of work that
 * still stands (a credited activity that was withdrawn counts no more), on the day it was done.
 */
function countedCredits(
  doc: PromiseDocument,
  credits: readonly CreditEntry[],
): (CreditEntry & {
  readonly date: LocalDate;
  readonly placeIds: readonly string[];
  readonly activityKind?: string;
})[] {
  const withdrawnCommitments = new Set(
    doc.commitments.filter((c) => c.withdrawn).map((c) => c.commitmentId),
  );
  const activities = new Map(doc.activities.map((a) => [a.activityId, a]));
  const out: (CreditEntry & {
    date: LocalDate;
    placeIds: readonly string[];
    activityKind?: string;
  })[] = [];
  for (const credit of credits) {
    if (!credit.standing || credit.promiseId !== doc.promiseId) continue;
    if (withdrawnCommitments.has(credit.commitmentId)) continue;
    if (credit.work.kind === 'activity') {
      const activity = activities.get(credit.work.workId);
      // The activity as it stands now: withdrawn, it counts nowhere; corrected, on its new day.
      if (!activity || activity.status === 'withdrawn') continue;
      out.push({
        ...credit,
        date: activity.date,
        placeIds: activity.placeIds,
        activityKind: activity.kind,
      });
    } else {
      out.push({ ...credit, date: credit.work.doneOn, placeIds: credit.work.placeIds });
    }
  }
  return out;
}

export function commitmentsFollowUp(
  doc: PromiseDocument,
  credits: readonly CreditEntry[],
  range: Period,
): CommitmentsFollowUp {
  const inRange = doc.activities.filter((a) => a.status !== 'withdrawn' && isWithin(a.date, range));
  const counted = countedCredits(doc, credits);
  const credited = counted.filter((c) => isWithin(c.date, range));
  // Restricted work is counted over the promise's whole period, whatever the range asked for:
  // a count over a range the caller narrows day by day would date each talk.
  const restrictedOverPeriod = counted.filter(
    (c) => isRestrictedWork(c.work.kind) && isWithin(c.date, doc.period),
  );
  const commitments = doc.commitments.map(
    (c): CommitmentFollowUp & { ranks: readonly number[] } => {
      const own = inRange.filter((a) => a.commitmentId === c.commitmentId);
      const creditsHere = credited.filter((x) => x.commitmentId === c.commitmentId);
      const restricted = restrictedOverPeriod.filter(
        (x) => x.commitmentId === c.commitmentId,
      ).length;
      const work: DoneWork[] = [
        ...own.map((a): DoneWork => ({
          source: 'activity',
          workKind: 'activity',
          kind: a.kind,
          id: a.activityId,
          date: a.date,
          placeIds: a.placeIds,
          ...(a.unresolvedPlace !== undefined ? { unresolvedPlace: a.unresolvedPlace } : {}),
        })),
        ...creditsHere.flatMap((x): DoneWork[] =>
          x.work.kind === 'prevention-talk'
            ? []
            : [
                {
                  source: 'credit',
                  workKind: x.work.kind,
                  kind: x.activityKind ?? x.work.kind,
                  id: x.work.workId,
                  date: x.date,
                  placeIds: x.placeIds,
                },
              ],
        ),
      ].sort((x, y) => cmp(x.date, y.date) || cmp(x.id, y.id));
      const sums = new Map<string, number>();
      for (const a of own) {
        for (const [k, v] of Object.entries(a.figures)) sums.set(k, (sums.get(k) ?? 0) + v);
      }
      // By name: the order a writer gave its figures in is not kept everywhere (read models
      // store them as jsonb), and the report must read the same from the log and from them.
      const figures = Object.fromEntries([...sums].sort(([a], [b]) => cmp(a, b)));
      let fulfilment: CommitmentFollowUp['fulfilment'] = null;
      if (c.cadence) {
        const cadence = c.cadence;
        const perBucket = new Map<LocalDate, number>();
        for (const w of work) {
          const bucket = bucketStart(w.date, cadence.per);
          perBucket.set(bucket, (perBucket.get(bucket) ?? 0) + 1);
        }
        const due = periodsIn(range, cadence.per);
        const missed = due.filter((start) => (perBucket.get(start) ?? 0) < cadence.times);
        fulfilment = {
          cadence,
          periodsDue: due.length,
          periodsFulfilled: due.length - missed.length,
          missed,
        };
      }
      return {
        commitmentId: c.commitmentId,
        description: c.description,
        owner: c.owner,
        withdrawn: c.withdrawn,
        activities: own.length,
        creditedWork: work.length - own.length,
        restrictedWork: restricted > 0 ? blurredCount(restricted) : null,
        firstDate: work[0]?.date ?? null,
        lastDate: work[work.length - 1]?.date ?? null,
        placeIds: [...new Set(work.flatMap((w) => w.placeIds))],
        unresolvedPlaces: [
          ...new Set(work.flatMap((w) => (w.unresolvedPlace ? [w.unresolvedPlace] : []))),
        ],
        figures,
        fulfilment,
        work,
        ranks: c.problemAreaRanks,
      };
    },
  );
  const strip = ({ ranks: _ranks, ...c }: CommitmentFollowUp & { ranks: readonly number[] }) => c;
  return {
    promiseId: doc.promiseId,
    title: doc.title,
    range,
    problemAreas: [...doc.problemAreas]
      .sort((a, b) => a.rank - b.rank)
      .map((p) => ({
        rank: p.rank,
        code: p.code,
        name: p.name,
        commitments: commitments.filter((c) => c.ranks.includes(p.rank)).map(strip),
      })),
    general: commitments.filter((c) => c.ranks.length === 0).map(strip),
    activitiesWithdrawn: doc.activities.filter(
      (a) => a.status === 'withdrawn' && isWithin(a.date, range),
    ).length,
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
