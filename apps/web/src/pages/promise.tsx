import type { Fulfilment } from '../api-types';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { useI18n, type MessageKey } from '../i18n';
import { Link } from '../router';
import { useApi } from '../use-api';

interface PromiseList {
  readonly items: readonly {
    promiseId: string;
    title: string;
    period: { from: string; to: string };
    status: string;
  }[];
}

interface Timeline {
  readonly promiseId: string;
  readonly title: string;
  readonly range: { from: string; to: string };
  readonly commitments: readonly {
    commitmentId: string;
    description: string;
    owner: string | readonly string[];
    problemAreas: readonly { rank: number; name: string }[];
    status: string;
    fulfilment: Fulfilment | null;
    activities: readonly { activityId: string; date: string }[];
  }[];
}

/** The partnership's promises; with one in force, that one at once. */
export function PromisesPage() {
  const { t, date } = useI18n();
  const list = useApi<PromiseList>('/promises');
  if (list.status === 'loading') return <Loading />;
  if (list.status === 'failed') return <Failed problem={list.problem} retry={list.retry} />;
  if (list.data.items.length === 1)
    return <PromisePage promiseId={list.data.items[0]!.promiseId} />;
  return (
    <>
      <PageTitle>{t('promise.title')}</PageTitle>
      {list.data.items.length === 0 && <p>{t('promise.none')}</p>}
      <ul className="plain-list">
        {list.data.items.map((p) => (
          <li key={p.promiseId}>
            <Link to={`/medborgarlofte/${encodeURIComponent(p.promiseId)}`}>{p.title}</Link>{' '}
            <span className="meta">
              {t('promise.period', { from: date(p.period.from), to: date(p.period.to) })}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * One promise: each commitment with its owner, what has been done under it and how it stands,
 * and the follow-up report for the municipal board to download.
 */
export function PromisePage({ promiseId }: { promiseId: string }) {
  const { t, date, agency } = useI18n();
  const timeline = useApi<Timeline>(`/promises/${encodeURIComponent(promiseId)}/timeline`);
  if (timeline.status === 'loading') return <Loading />;
  if (timeline.status === 'failed') {
    return <Failed problem={timeline.problem} retry={timeline.retry} />;
  }
  const data = timeline.data;
  const report = `/api/promises/${encodeURIComponent(promiseId)}/follow-up-report`;
  const owners = (owner: string | readonly string[]) =>
    (typeof owner === 'string' ? [owner] : owner).map(agency).join(', ');
  const statusKey = (status: string): MessageKey | undefined => {
    const key = `promise.status.${status}`;
    return key in STATUS_KEYS ? (key as MessageKey) : undefined;
  };
  return (
    <>
      <PageTitle>{data.title}</PageTitle>
      <p className="lead">
        {t('promise.period', { from: date(data.range.from), to: date(data.range.to) })}
      </p>
      <section aria-labelledby="report" className="card card--highlight">
        <h2 id="report">{t('promise.report')}</h2>
        <ul className="button-row">
          <li>
            <a className="button" href={`${report}?format=pdf`} download>
              {t('promise.reportPdf')}
            </a>
          </li>
          <li>
            <a className="button button--secondary" href={`${report}?format=docx`} download>
              {t('promise.reportDocx')}
            </a>
          </li>
        </ul>
      </section>
      <ol className="commitments">
        {data.commitments.map((c) => {
          const last = c.activities.at(-1);
          const status = statusKey(c.status);
          return (
            <li key={c.commitmentId} className="card commitment">
              <h2 className="commitment__title">{c.description}</h2>
              <p className="meta">
                {t('promise.owner', { agency: owners(c.owner) })}
                {status && (
                  <>
                    {' · '}
                    <span className={`tag tag--${c.status}`}>{t(status)}</span>
                  </>
                )}
              </p>
              {c.problemAreas.length > 0 && (
                <p className="meta">
                  {t('promise.problemAreas')}: {c.problemAreas.map((p) => p.name).join(', ')}
                </p>
              )}
              <p>
                {c.activities.length === 0
                  ? t('promise.noActivity')
                  : `${t('promise.activities', { count: c.activities.length })}, ${t('promise.lastActivity', { date: date(last!.date) })}`}
              </p>
              {c.fulfilment && (
                <p>
                  {t('promise.fulfilment', {
                    fulfilled: c.fulfilment.periodsFulfilled,
                    due: c.fulfilment.periodsDue,
                    period: t(`promise.period.${c.fulfilment.cadence.per}`),
                    cadence: t(`promise.cadence.${c.fulfilment.cadence.per}`, {
                      times: c.fulfilment.cadence.times,
                    }),
                  })}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
}

const STATUS_KEYS: Record<string, true> = {
  'promise.status.active': true,
  'promise.status.no-activity': true,
  'promise.status.behind': true,
  'promise.status.on-track': true,
  'promise.status.not-yet-due': true,
  'promise.status.withdrawn': true,
};
