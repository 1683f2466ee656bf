import { ChangesSinceVisit } from '../components/changes-since-visit';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useApi } from '../use-api';

interface Worklist {
  readonly agency: string;
  readonly role: string;
  readonly today: string;
  readonly week: string;
  readonly findings: {
    readonly items: readonly {
      findingId: string;
      walkId: string | null;
      description: string;
      placeIds: readonly string[];
      unresolvedPlace?: string;
      foundOn: string;
    }[];
    readonly total: number;
  };
  readonly talkFollowUpsDue: readonly { talkId: string; dueOn: string; overdue: boolean }[];
  readonly talkFollowUpsDueUnlisted: number;
  readonly otherTalkFollowUpsDue: number | string;
  readonly commitmentsBehind: readonly {
    promiseId: string;
    commitmentId: string;
    description: string;
  }[];
  readonly estPlacesWithoutCount: readonly { placeId: string; name: string; week: string }[];
  readonly unknownPlaces?: {
    readonly items: readonly {
      source: string;
      id: string;
      unresolvedPlace?: string;
      placeId?: string;
    }[];
    readonly total: number;
  };
}

/** The start page: what the user's agency, in the user's role, has to do now. */
export function StartPage() {
  const { t, date, count } = useI18n();
  const worklist = useApi<Worklist>('/worklist');
  return (
    <>
      <PageTitle>{t('start.title')}</PageTitle>
      {worklist.status === 'loading' && <Loading />}
      {worklist.status === 'failed' && <Failed problem={worklist.problem} retry={worklist.retry} />}
      {worklist.status === 'ok' && (
        <>
          <p className="lead">
            {date(worklist.data.today)} · {t('start.week', { week: worklist.data.week.slice(6) })}
          </p>
          <div className="worklist">
            <ChangesSinceVisit />
            <section aria-labelledby="wl-findings" className="card">
              <h2 id="wl-findings">{t('start.findings')}</h2>
              {worklist.data.findings.items.length === 0 ? (
                <p>{t('start.findingsNone')}</p>
              ) : (
                <>
                  <ul className="plain-list">
                    {worklist.data.findings.items.map((f) => (
                      <li key={f.findingId}>
                        <Link
                          to={`/brister/${encodeURIComponent(f.findingId)}${f.walkId ? `?vandring=${encodeURIComponent(f.walkId)}` : ''}`}
                        >
                          <strong>{f.unresolvedPlace ?? f.placeIds.join(', ')}</strong>
                          <span>: {f.description}</span>
                        </Link>
                        <span className="meta">
                          {' '}
                          · {t('start.reportedOn', { date: date(f.foundOn) })}
                        </span>
                      </li>
                    ))}
                  </ul>
                  {worklist.data.findings.total > worklist.data.findings.items.length && (
                    <p className="meta">
                      {t('start.findingsMore', {
                        shown: worklist.data.findings.items.length,
                        total: worklist.data.findings.total,
                      })}
                    </p>
                  )}
                </>
              )}
            </section>
            <section aria-labelledby="wl-talks" className="card">
              <h2 id="wl-talks">{t('start.followUps')}</h2>
              {worklist.data.talkFollowUpsDue.length + worklist.data.talkFollowUpsDueUnlisted ===
              0 ? (
                <p>{t('start.followUpsNone')}</p>
              ) : (
                <p>
                  <Link to="/samtal?visa=uppfoljningar">
                    {t('start.followUpsDue', {
                      count:
                        worklist.data.talkFollowUpsDue.length +
                        worklist.data.talkFollowUpsDueUnlisted,
                    })}
                  </Link>
                </p>
              )}
              <p className="meta">
                {t('start.followUpsOther', { count: count(worklist.data.otherTalkFollowUpsDue) })}
              </p>
            </section>
            <section aria-labelledby="wl-behind" className="card">
              <h2 id="wl-behind">{t('start.commitmentsBehind')}</h2>
              {worklist.data.commitmentsBehind.length === 0 ? (
                <p>{t('start.commitmentsBehindNone')}</p>
              ) : (
                <ul className="plain-list">
                  {worklist.data.commitmentsBehind.map((c) => (
                    <li key={`${c.promiseId}/${c.commitmentId}`}>
                      <Link to={`/medborgarlofte/${encodeURIComponent(c.promiseId)}`}>
                        {c.description}
                      </Link>{' '}
                      ·{' '}
                      <Link to={`/aktivitet?commitment=${encodeURIComponent(c.commitmentId)}`}>
                        {t('start.recordActivity')}
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="wl-est" className="card">
              <h2 id="wl-est">{t('start.est')}</h2>
              {worklist.data.estPlacesWithoutCount.length === 0 ? (
                <p>{t('start.estNone')}</p>
              ) : (
                <ul className="plain-list">
                  {worklist.data.estPlacesWithoutCount.map((p) => (
                    <li key={p.placeId}>
                      <Link
                        to={`/est-antal?place=${encodeURIComponent(p.placeId)}&week=${encodeURIComponent(p.week)}`}
                      >
                        {p.name}
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            {worklist.data.unknownPlaces && (
              <section aria-labelledby="wl-unknown" className="card">
                <h2 id="wl-unknown">{t('start.unknownPlaces')}</h2>
                {worklist.data.unknownPlaces.items.length === 0 ? (
                  <p>{t('start.unknownPlacesNone')}</p>
                ) : (
                  <ul className="plain-list">
                    {worklist.data.unknownPlaces.items.map((p) => (
                      <li key={`${p.source}/${p.id}`}>
                        <Link
                          to={`/platser?name=${encodeURIComponent(p.unresolvedPlace ?? p.placeId ?? '')}`}
                        >
                          {p.unresolvedPlace ?? p.placeId}
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            )}
          </div>
        </>
      )}
    </>
  );
}
