import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { Layout, PageTitle } from './components/layout';
import { Failed, Loading } from './components/status';
import { useI18n } from './i18n';
import { NotFoundPage } from './pages/not-found';
import { ResidentsPage } from './pages/residents';
import { SignInPage } from './pages/sign-in';
import { StartPage } from './pages/start';
import { match, useRoute } from './router';
import { useSession } from './session';

type Page = ComponentType<Record<string, string>>;

/**
 * A page loaded when it is first opened: each page is its own chunk, so the start page does not
 * carry the code of forms a user may never open (and the map's library stays out of both).
 */
function page<M>(load: () => Promise<M>, name: keyof M): Page {
  return lazy(async () => ({ default: (await load())[name] as Page }));
}

/** The workspace's pages, each behind sign-in, by path pattern; the first match wins. */
const WORKSPACE: readonly (readonly [string, Page])[] = [
  ['/', StartPage as Page],
  ['/lagesbild', page(() => import('./pages/situation-picture'), 'SituationPicturePage')],
  ['/registrera', page(() => import('./pages/record'), 'RecordPage')],
  ['/rapportera', page(() => import('./pages/report-situation'), 'ReportSituationPage')],
  ['/rapportera/:reportId', page(() => import('./pages/report-situation'), 'ReportSituationPage')],
  ['/est-antal', page(() => import('./pages/est-counts'), 'EstCountsPage')],
  ['/aktivitet', page(() => import('./pages/record-activity'), 'RecordActivityPage')],
  ['/tillgodorakna', page(() => import('./pages/credit-work'), 'CreditWorkPage')],
  ['/samtal', page(() => import('./pages/prevention-talks'), 'PreventionTalksPage')],
  ['/samtal/:talkId', page(() => import('./pages/prevention-talk'), 'PreventionTalkPage')],
  ['/trygghetsvandringar', page(() => import('./pages/safety-walks'), 'SafetyWalksPage')],
  ['/trygghetsvandringar/:walkId', page(() => import('./pages/safety-walk'), 'SafetyWalkPage')],
  ['/brister', page(() => import('./pages/findings'), 'FindingsPage')],
  ['/brister/:findingId', page(() => import('./pages/finding'), 'FindingPage')],
  ['/medborgarlofte', page(() => import('./pages/promise'), 'PromisesPage')],
  ['/medborgarlofte/:promiseId', page(() => import('./pages/promise'), 'PromisePage')],
  [
    '/medborgarlofte/:promiseId/utskrift',
    page(() => import('./pages/promise-print'), 'PromisePrintPage'),
  ],
  ['/medborgardialog', page(() => import('./pages/citizen-dialogue'), 'CitizenDialoguePage')],
  ['/administration', page(() => import('./pages/administration'), 'AdministrationPage')],
  ['/platser', page(() => import('./pages/places'), 'PlacesPage')],
  ['/est-rapportorer', page(() => import('./pages/est-reporters'), 'EstReportersPage')],
  ['/granskning', page(() => import('./pages/audit-trail'), 'AuditTrailPage')],
  ['/lasloggar', page(() => import('./pages/read-access'), 'ReadAccessPage')],
  ['/dataskydd', page(() => import('./pages/erasure'), 'ErasurePage')],
];

/** The public pages: they need no session and show the same to everyone. */
const PUBLIC: readonly (readonly [string, Page])[] = [
  ['/invanare', ResidentsPage as Page],
  ['/otrygg', page(() => import('./pages/unsafe-place'), 'UnsafePlacePage')],
];

function routeOf(
  table: readonly (readonly [string, Page])[],
  path: string,
): { Page: Page; params: Record<string, string> } | undefined {
  for (const [pattern, Page] of table) {
    const params = match(pattern, path);
    if (params) return { Page, params };
  }
  return undefined;
}

function Workspace() {
  const { path } = useRoute();
  const route = routeOf(WORKSPACE, path);
  if (!route) return <NotFoundPage />;
  return (
    <Suspense fallback={<Loading />}>
      <route.Page key={path} {...route.params} />
    </Suspense>
  );
}

export function App() {
  const { state, reload } = useSession();
  const { t } = useI18n();
  const { path } = useRoute();
  useEffect(() => {
    document.title = `${t('app.name')} – ${t('app.tagline')}`;
  }, [t, path]);
  const open = routeOf(PUBLIC, path);
  if (open) {
    return (
      <Layout>
        <Suspense fallback={<Loading />}>
          <open.Page {...open.params} />
        </Suspense>
      </Layout>
    );
  }
  return (
    <Layout>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Failed problem={state.problem} retry={reload} />}
      {state.status === 'signed-out' && <SignInPage />}
      {state.status === 'signed-in' &&
        (state.session.pending ? (
          <>
            <PageTitle>{t('app.name')}</PageTitle>
            <p>{t('session.pending')}</p>
          </>
        ) : (
          <Workspace />
        ))}
    </Layout>
  );
}
