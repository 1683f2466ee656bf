import { periodsOf, type CadencePeriod } from '../fulfilment';
import { useI18n } from '../i18n';
import { kindLabel } from '../labels';
import { Link } from '../router';

export interface CommitmentOnTimeline {
  readonly commitmentId: string;
  readonly description: string;
  readonly owner: string | readonly string[];
  readonly problemAreas: readonly { rank: number; name: string }[];
  readonly status: string;
  readonly fulfilment: {
    readonly cadence: { readonly per: CadencePeriod; readonly times: number };
    readonly periodsDue: number;
    readonly periodsFulfilled: number;
    readonly missed: readonly string[];
  } | null;
  readonly activities: readonly {
    readonly activityId: string;
    readonly date: string;
    readonly kind: string;
    readonly placeIds: readonly string[];
    readonly unresolvedPlace?: string;
    readonly outcome: string;
    readonly status: 'recorded' | 'corrected' | 'withdrawn';
  }[];
  readonly creditedWork: readonly {
    readonly source: 'activity' | 'credit';
    readonly workKind: string;
    readonly kind: string;
    readonly id: string;
    readonly date: string;
    readonly placeIds: readonly string[];
    readonly unresolvedPlace?: string;
  }[];
  readonly restrictedWork: number | string | null;
}

/** Entries shown before "show all": the latest work says most about how a commitment stands. */
const LATEST = 5;

/** Work done under a commitment or credited to it, newest first, as one timeline. */
function timelineOf(c: CommitmentOnTimeline) {
  const own = c.activities
    .filter((a) => a.status !== 'withdrawn')
    .map((a) => ({
      key: `a/${a.activityId}`,
      date: a.date,
      kind: a.kind,
      placeIds: a.placeIds,
      unresolvedPlace: a.unresolvedPlace,
      outcome: a.outcome,
      credited: undefined as string | undefined,
    }));
  const credited = c.creditedWork
    .filter((w) => w.source === 'credit')
    .map((w) => ({
      key: `c/${w.workKind}/${w.id}`,
      date: w.date,
      kind: w.kind,
      placeIds: w.placeIds,
      unresolvedPlace: w.unresolvedPlace,
      outcome: undefined as string | undefined,
      credited: w.workKind,
    }));
  return [...own, ...credited].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

/**
 * One commitment of the promise: its owner and status, its fulfilment against its cadence as a
 * chart (one bar per week or month, met or missed, with the same said in words), and a timeline
 * of the work done under it and credited to it. Restricted work is only a count.
 */
export function CommitmentCard({
  commitment: c,
  range,
  placeName,
}: {
  readonly commitment: CommitmentOnTimeline;
  readonly range: { readonly from: string; readonly to: string };
  readonly placeName: (placeId: string) => string;
}) {
  const { t, date, agency, language, count, has } = useI18n();
  const owners = (typeof c.owner === 'string' ? [c.owner] : c.owner).map(agency).join(', ');
  const statusKey = `promise.status.${c.status}`;
  const work = timelineOf(c);
  const entry = (w: (typeof work)[number]) => (
    <li key={w.key}>
      <time dateTime={w.date}>{date(w.date)}</time> · <strong>{kindLabel(w.kind, language)}</strong>
      {(w.placeIds.length > 0 || w.unresolvedPlace) && (
        <>
          {' '}
          ·{' '}
          {[...w.placeIds.map(placeName), ...(w.unresolvedPlace ? [w.unresolvedPlace] : [])].join(
            ', ',
          )}
        </>
      )}
      {w.credited && (
        <span className="meta"> ({t('promise.credited', { work: workLabel(w.credited) })})</span>
      )}
      {w.outcome && <p className="timeline__outcome">{w.outcome}</p>}
    </li>
  );
  const workLabel = (kind: string) => {
    const key = `promise.work.${kind}`;
    return has(key) ? t(key) : kind;
  };
  const fulfilmentText =
    c.fulfilment &&
    t('promise.fulfilment', {
      fulfilled: c.fulfilment.periodsFulfilled,
      due: c.fulfilment.periodsDue,
      period: t(`promise.period.${c.fulfilment.cadence.per}`),
      cadence: t(`promise.cadence.${c.fulfilment.cadence.per}`, {
        times: c.fulfilment.cadence.times,
      }),
    });
  const periods = c.fulfilment
    ? periodsOf(range, c.fulfilment.cadence.per, c.fulfilment.missed)
    : [];
  return (
    <li className="card commitment" id={`commitment-${c.commitmentId}`}>
      <h2 className="commitment__title">{c.description}</h2>
      <p className="meta">
        {t('promise.owner', { agency: owners })}
        {has(statusKey) && (
          <>
            {' · '}
            <span className={`tag tag--${c.status}`}>{t(statusKey)}</span>
          </>
        )}
      </p>
      {c.problemAreas.length > 0 && (
        <p className="meta">
          {t('promise.problemAreas')}: {c.problemAreas.map((p) => p.name).join(', ')}
        </p>
      )}
      {c.fulfilment && (
        <figure className="fulfilment">
          <svg
            className="fulfilment__chart"
            role="img"
            aria-label={fulfilmentText ?? ''}
            viewBox={`0 0 ${Math.max(1, periods.length) * 10} 24`}
            preserveAspectRatio="none"
          >
            {periods.map((p, i) => (
              <rect
                key={p.start}
                className={p.met ? 'fulfilment__met' : 'fulfilment__missed'}
                x={i * 10 + 1}
                y={p.met ? 0 : 12}
                width={8}
                height={p.met ? 24 : 12}
              >
                <title>
                  {date(p.start)}: {t(p.met ? 'promise.chartMet' : 'promise.chartMissed')}
                </title>
              </rect>
            ))}
          </svg>
          <figcaption>
            {fulfilmentText}
            <span className="fulfilment__legend" aria-hidden="true">
              <span className="fulfilment__key fulfilment__key--met" /> {t('promise.chartMet')}
              <span className="fulfilment__key fulfilment__key--missed" />{' '}
              {t('promise.chartMissed')}
            </span>
          </figcaption>
        </figure>
      )}
      <h3 className="commitment__subtitle">{t('promise.timeline')}</h3>
      {work.length === 0 ? (
        <p>{t('promise.noActivity')}</p>
      ) : (
        <>
          <p className="meta">{t('promise.workCount', { count: work.length })}</p>
          <ol className="timeline">{work.slice(0, LATEST).map(entry)}</ol>
          {work.length > LATEST && (
            <details className="timeline__more">
              <summary>{t('promise.showAll', { count: work.length })}</summary>
              <ol className="timeline">{work.slice(LATEST).map(entry)}</ol>
            </details>
          )}
        </>
      )}
      {c.restrictedWork !== null && (
        <p className="meta">{t('promise.restrictedWork', { count: count(c.restrictedWork) })}</p>
      )}
      {c.status !== 'withdrawn' && (
        <p>
          <Link to={`/aktivitet?commitment=${encodeURIComponent(c.commitmentId)}`}>
            {t('promise.recordActivity')}
          </Link>
        </p>
      )}
    </li>
  );
}
