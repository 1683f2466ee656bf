import { CommitmentCard, type CommitmentOnTimeline } from '../components/commitment-card';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useAllPages, useApi } from '../use-api';

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
  readonly commitments: readonly CommitmentOnTimeline[];
}

interface Places {
  readonly items: readonly { placeId: string; name: string }[];
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
 * One promise: each commitment with its owner, its fulfilment against its cadence as a chart, a
 * timeline of the work done under it, and the follow-up report for the municipal board to
 * download or print.
 */
export function PromisePage({ promiseId }: { promiseId: string }) {
  const { t, date } = useI18n();
  const timeline = useApi<Timeline>(`/promises/${encodeURIComponent(promiseId)}/timeline`);
  const places = useAllPages<Places['items'][number]>('/places');
  if (timeline.status === 'loading' || places.status === 'loading') return <Loading />;
  if (timeline.status === 'failed') {
    return <Failed problem={timeline.problem} retry={timeline.retry} />;
  }
  if (places.status === 'failed') return <Failed problem={places.problem} retry={places.retry} />;
  const data = timeline.data;
  const names = new Map(places.data.items.map((p) => [p.placeId, p.name]));
  const placeName = (placeId: string) => names.get(placeId) ?? placeId;
  const report = `/api/promises/${encodeURIComponent(promiseId)}/follow-up-report`;
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
          <li>
            <Link
              className="button button--secondary"
              to={`/medborgarlofte/${encodeURIComponent(promiseId)}/utskrift`}
            >
              {t('promise.printView')}
            </Link>
          </li>
        </ul>
      </section>
      <ol className="commitments">
        {data.commitments.map((c) => (
          <CommitmentCard
            key={c.commitmentId}
            commitment={c}
            range={data.range}
            placeName={placeName}
          />
        ))}
      </ol>
    </>
  );
}
