import { PageTitle } from '../components/layout';
import { useI18n, type MessageKey } from '../i18n';
import { Link } from '../router';

/** What can be recorded, each with the page that records it. */
const FORMS: readonly { path: string; title: MessageKey; about: MessageKey }[] = [
  { path: '/rapportera', title: 'hub.report', about: 'hub.reportAbout' },
  { path: '/aktivitet', title: 'hub.activity', about: 'hub.activityAbout' },
  { path: '/trygghetsvandringar', title: 'hub.walks', about: 'hub.walksAbout' },
  { path: '/brister', title: 'hub.findings', about: 'hub.findingsAbout' },
  { path: '/samtal', title: 'hub.talks', about: 'hub.talksAbout' },
  { path: '/est-antal', title: 'hub.est', about: 'hub.estAbout' },
  { path: '/tillgodorakna', title: 'hub.credit', about: 'hub.creditAbout' },
];

/** The way in to every form: one page a user on a phone finds the right form from. */
export function RecordPage() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t('hub.title')}</PageTitle>
      <p className="lead">{t('hub.lead')}</p>
      <ul className="record-hub">
        {FORMS.map((form) => (
          <li key={form.path} className="card">
            <h2>
              <Link to={form.path}>{t(form.title)}</Link>
            </h2>
            <p>{t(form.about)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
