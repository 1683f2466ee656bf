import type { Fulfilment } from '../api-types';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { useI18n } from '../i18n';
import { kindLabel, ownerLabel } from '../labels';
import { Link } from '../router';
import { useApi } from '../use-api';

interface PublicPromises {
  readonly items: readonly {
    promiseId: string;
    title: string;
    period: { from: string; to: string };
  }[];
}

interface ResidentsPromise {
  readonly promiseId: string;
  readonly title: string;
  readonly period: { from: string; to: string };
  readonly commitments: readonly {
    commitmentId: string;
    description: string;
    owner: string;
    problemAreas: readonly string[];
    status: string;
    fulfilment: Fulfilment | null;
    done: number;
    doneInConfidence: number | string | null;
    firstDoneOn: string | null;
    lastDoneOn: string | null;
    kinds: readonly { kind: string; count: number }[];
    places: readonly { placeId: string; name: string }[];
  }[];
}

/**
 * "Vi lovade – vi gjorde", for the residents the promise is made to: no sign-in, in plain
 * language, from the public API only (counts, dates, kinds of work and places; nothing about a
 * person, work done in confidence as a blurred count).
 */
export function ResidentsPage() {
  const { t } = useI18n();
  const promises = useApi<PublicPromises>('/public/promises');
  const first = promises.status === 'ok' ? promises.data.items[0] : undefined;
  return (
    <>
      <PageTitle>{t('residents.title')}</PageTitle>
      <p className="lead">{t('residents.lead')}</p>
      <p>
        <Link to="/otrygg">{t('unsafe.link')}</Link>
      </p>
      {promises.status === 'loading' && <Loading />}
      {promises.status === 'failed' && <Failed problem={promises.problem} retry={promises.retry} />}
      {promises.status === 'ok' && !first && <p>{t('residents.none')}</p>}
      {first && <PromiseForResidents promiseId={first.promiseId} />}
      <p className="meta">{t('residents.about')}</p>
    </>
  );
}

function PromiseForResidents({ promiseId }: { promiseId: string }) {
  const { t, date, count, language } = useI18n();
  const promise = useApi<ResidentsPromise>(`/public/promises/${encodeURIComponent(promiseId)}`);
  if (promise.status === 'loading') return <Loading />;
  if (promise.status === 'failed')
    return <Failed problem={promise.problem} retry={promise.retry} />;
  const data = promise.data;
  return (
    <>
      <h2>{data.title}</h2>
      <p className="meta">
        {t('promise.period', { from: date(data.period.from), to: date(data.period.to) })}
      </p>
      <ol className="commitments">
        {data.commitments.map((c) => (
          <li key={c.commitmentId} className="card commitment">
            <h3 className="commitment__promised">
              <span className="commitment__label">{t('residents.promised')}</span>
              {c.description}
            </h3>
            <p className="meta">{t('residents.by', { owner: ownerLabel(c.owner, language) })}</p>
            <div className="commitment__did">
              <span className="commitment__label">{t('residents.did')}</span>
              {c.done === 0 || !c.firstDoneOn || !c.lastDoneOn ? (
                <p>{t('residents.notYet')}</p>
              ) : (
                <p>
                  {c.done === 1
                    ? t('residents.doneOnce', { date: date(c.firstDoneOn) })
                    : t('residents.doneTimes', {
                        count: c.done,
                        from: date(c.firstDoneOn),
                        to: date(c.lastDoneOn),
                      })}{' '}
                  {c.kinds.length > 0 &&
                    t('residents.kinds', {
                      kinds: c.kinds
                        .map((k) => `${kindLabel(k.kind, language)} (${k.count})`)
                        .join(', '),
                    })}
                </p>
              )}
              {c.places.length > 0 && (
                <p>{t('residents.places', { places: c.places.map((p) => p.name).join(', ') })}</p>
              )}
              {c.doneInConfidence !== null && (
                <p>{t('residents.confidence', { count: count(c.doneInConfidence) })}</p>
              )}
              {c.fulfilment && (
                <p>
                  {t('residents.fulfilment', {
                    cadence: t(`promise.cadence.${c.fulfilment.cadence.per}`, {
                      times: c.fulfilment.cadence.times,
                    }),
                    fulfilled: c.fulfilment.periodsFulfilled,
                    due: c.fulfilment.periodsDue,
                    period: t(`promise.period.${c.fulfilment.cadence.per}`),
                  })}
                </p>
              )}
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}
