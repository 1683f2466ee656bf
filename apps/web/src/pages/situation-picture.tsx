import { useState, type FormEvent } from 'react';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { useI18n } from '../i18n';
import { useLive } from '../live';
import { Link } from '../router';
import { useApi } from '../use-api';

interface ReportList {
  readonly items: readonly {
    reportId: string;
    reportingAgency: string;
    places: readonly { placeId: string; name: string }[];
    problemArea: string;
    period: { from: string; to: string };
    trend: string;
    severity: string;
    description: string;
    source: string;
    sensitivity: 'open' | 'restricted';
    status: string;
    reportedAt: string;
  }[];
}

/**
 * The shared situation picture as a list: the reports the user may read (the API decides),
 * newest first. The map beside it comes with the same data.
 */
export function SituationPicturePage() {
  const { t, date, agency, has } = useI18n();
  // Restricted reports are listed only with a purpose, and each read is logged with it.
  const [purpose, setPurpose] = useState('');
  const [asked, setAsked] = useState('');
  const reports = useApi<ReportList>(
    `/situation-reports?limit=100${asked ? `&purpose=${encodeURIComponent(asked)}` : ''}`,
  );
  // A report added or changed that this user may read: the list is read again, and said so.
  const [updated, setUpdated] = useState(0);
  useLive((n) => {
    if (n === null || n.streamId.startsWith('situation-report-')) {
      reports.retry();
      setUpdated((u) => u + 1);
    }
  });
  const showRestricted = (event: FormEvent) => {
    event.preventDefault();
    if (purpose.trim().length >= 3) setAsked(purpose.trim());
  };
  const word = (key: string) => (has(key) ? t(key) : key.split('.').pop()!);
  return (
    <>
      <PageTitle>{t('situation.title')}</PageTitle>
      <p className="lead">{t('situation.lead')}</p>
      <p>
        <Link to="/rapportera" className="button">
          {t('report.title')}
        </Link>
      </p>
      <form className="inline-form" onSubmit={showRestricted}>
        <label className="label" htmlFor="purpose">
          {t('situation.purpose')}
        </label>
        <p className="hint" id="purpose-hint">
          {t('situation.purposeHint')}
        </p>
        <div className="inline-form__row">
          <input
            id="purpose"
            name="purpose"
            className="input"
            minLength={3}
            maxLength={200}
            aria-describedby="purpose-hint"
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
          />
          <button type="submit" className="button button--secondary">
            {t('situation.showRestricted')}
          </button>
        </div>
        {asked && (
          <p className="meta" role="status">
            {t('situation.purposeGiven', { purpose: asked })}
          </p>
        )}
      </form>
      <p className="visually-hidden" role="status" aria-live="polite">
        {updated > 0 ? t('situation.updated') : ''}
      </p>
      {reports.status === 'loading' && <Loading />}
      {reports.status === 'failed' && <Failed problem={reports.problem} retry={reports.retry} />}
      {reports.status === 'ok' &&
        (reports.data.items.length === 0 ? (
          <p>{t('situation.none')}</p>
        ) : (
          <ul className="plain-list reports">
            {[...reports.data.items]
              .sort((a, b) => (a.reportedAt < b.reportedAt ? 1 : -1))
              .map((r) => (
                <li key={r.reportId} className="report" data-report-id={r.reportId}>
                  <h2 className="report__title">{r.places.map((p) => p.name).join(', ')}</h2>
                  <p className="meta">
                    {t('situation.reportedBy', { agency: agency(r.reportingAgency) })} ·{' '}
                    {t('situation.period', { from: date(r.period.from), to: date(r.period.to) })} ·{' '}
                    {word(`report.trend.${r.trend}`)} · {word(`report.severity.${r.severity}`)} ·{' '}
                    {word(`report.source.${r.source}`)}
                    {r.sensitivity === 'restricted' && (
                      <>
                        {' · '}
                        <span className="tag tag--behind">{t('situation.restricted')}</span>
                      </>
                    )}
                  </p>
                  <p>{r.description}</p>
                </li>
              ))}
          </ul>
        ))}
    </>
  );
}
