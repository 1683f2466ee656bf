import { addDays, isWithin, weekStart, type LocalDate, type Period } from '../calendar';
import { unreachable } from '../decider';
import type { Cadence } from './citizen-promise.events';
import type { PromiseDocument } from './citizen-promise.view';

/**
 * The follow-up for the municipal board, computed from the promise's own events: per problem
 * area and commitment what was done (counts, dates, places, figures) and fulfilment against the
 * cadence ("held in 15 of 17 weeks", with the weeks missed). Every number is a count of
 * activities in the log, so each can be traced to the events behind it.
 */
export interface CommitmentFollowUp {
  readonly commitmentId: string;
  readonly description: string;
  readonly owner: string;
  readonly withdrawn: boolean;
  readonly activities: number;
  readonly firstDate: LocalDate | null;
  readonly lastDate: LocalDate | null;
  readonly places: readonly string[];
  readonly figures: Readonly<Record<string, number>>;
  readonly fulfilment: {
    readonly cadence: Cadence;
    readonly periodsDue: number;
    readonly periodsFulfilled: number;
    /** First day of each period (week, month...) in which the cadence was not met. */
    readonly missed: readonly LocalDate[];
  } | null;
}

export interface FollowUpReport {
  readonly promiseId: string;
  readonly title: string;
  readonly range: Period;
  readonly problemAreas: readonly {
    readonly rank: number;
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

export function followUpReport(doc: PromiseDocument, range: Period): FollowUpReport {
  const inRange = doc.activities.filter((a) => a.status !== 'withdrawn' && isWithin(a.date, range));
  const commitments = doc.commitments.map(
    (c): CommitmentFollowUp & { ranks: readonly number[] } => {
      const done = inRange
        .filter((a) => a.commitmentId === c.commitmentId)
        .sort((x, y) => x.date.localeCompare(y.date));
      const sums = new Map<string, number>();
      for (const a of done) {
        for (const [k, v] of Object.entries(a.figures)) sums.set(k, (sums.get(k) ?? 0) + v);
      }
      // By name: the order a writer gave its figures in is not kept everywhere (read models
      // store them as jsonb), and the report must read the same from the log and from them.
      const figures = Object.fromEntries(
        [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
      let fulfilment: CommitmentFollowUp['fulfilment'] = null;
      if (c.cadence) {
        const cadence = c.cadence;
        const perBucket = new Map<LocalDate, number>();
        for (const a of done) {
          const key = bucketStart(a.date, cadence.per);
          perBucket.set(key, (perBucket.get(key) ?? 0) + 1);
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
        activities: done.length,
        firstDate: done[0]?.date ?? null,
        lastDate: done[done.length - 1]?.date ?? null,
        places: [...new Set(done.map((a) => a.place))],
        figures,
        fulfilment,
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
        name: p.name,
        commitments: commitments.filter((c) => c.ranks.includes(p.rank)).map(strip),
      })),
    general: commitments.filter((c) => c.ranks.length === 0).map(strip),
    activitiesWithdrawn: doc.activities.filter(
      (a) => a.status === 'withdrawn' && isWithin(a.date, range),
    ).length,
  };
}

const UNIT: Record<Cadence['per'], [string, string]> = {
  week: ['week', 'weeks'],
  month: ['month', 'months'],
  quarter: ['quarter', 'quarters'],
  year: ['year', 'years'],
};

/** The report as Markdown for the board's papers. */
export function followUpReportMarkdown(report: FollowUpReport): string {
  const lines = [
    `# Follow-up: ${report.title}`,
    '',
    `Period reported: ${report.range.from} to ${report.range.to}. Built from the partnership's event log; every figure is a count or sum of recorded activities.`,
    '',
  ];
  const commitment = (c: CommitmentFollowUp) => {
    lines.push(`### ${c.description}${c.withdrawn ? ' (withdrawn)' : ''}`, '');
    lines.push(`- Carried by: ${c.owner}`);
    lines.push(
      `- Activities: ${c.activities}${c.firstDate ? ` (${c.firstDate} to ${c.lastDate})` : ''}`,
    );
    if (c.places.length) lines.push(`- Places: ${c.places.join('; ')}`);
    const figures = Object.entries(c.figures);
    if (figures.length) lines.push(`- Figures: ${figures.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (c.fulfilment) {
      const [one, many] = UNIT[c.fulfilment.cadence.per];
      lines.push(
        `- Fulfilment: ${c.fulfilment.cadence.times} per ${one}, met in ${c.fulfilment.periodsFulfilled} of ${c.fulfilment.periodsDue} ${many}`,
      );
      if (c.fulfilment.missed.length) {
        lines.push(
          `- ${many[0]!.toUpperCase()}${many.slice(1)} missed (starting): ${c.fulfilment.missed.join(', ')}`,
        );
      }
    }
    lines.push('');
  };
  for (const area of report.problemAreas) {
    lines.push(`## ${area.rank}. ${area.name}`, '');
    if (area.commitments.length === 0) lines.push('No commitment under this problem area.', '');
    area.commitments.forEach(commitment);
  }
  if (report.general.length) {
    lines.push('## Other commitments', '');
    report.general.forEach(commitment);
  }
  if (report.activitiesWithdrawn) {
    lines.push(
      `Activities recorded and later withdrawn in the period: ${report.activitiesWithdrawn}.`,
      '',
    );
  }
  return lines.join('\n');
}
