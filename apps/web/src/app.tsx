import { useEffect } from 'react';
import { Layout, PageTitle } from './components/layout';
import { Failed, Loading } from './components/status';
import { useI18n } from './i18n';
import { AdministrationPage } from './pages/administration';
import { NotFoundPage } from './pages/not-found';
import { PromisePage, PromisesPage } from './pages/promise';
import { ReportSituationPage } from './pages/report-situation';
import { ResidentsPage } from './pages/residents';
import { SituationPicturePage } from './pages/situation-picture';
import { SignInPage } from './pages/sign-in';
import { StartPage } from './pages/start';
import { match, useRoute } from './router';
import { useSession } from './session';

/** The pages of the workspace, each behind sign-in; which one the path names. */
function Workspace() {
  const { path } = useRoute();
  if (path === '/') return <StartPage />;
  if (path === '/lagesbild') return <SituationPicturePage />;
  if (path === '/administration') return <AdministrationPage />;
  if (path === '/rapportera') return <ReportSituationPage />;
  if (path === '/medborgarlofte') return <PromisesPage />;
  const promise = match('/medborgarlofte/:promiseId', path);
  if (promise) return <PromisePage promiseId={promise['promiseId']!} />;
  return <NotFoundPage />;
}

export function App() {
  const { state, reload } = useSession();
  const { t } = useI18n();
  const { path } = useRoute();
  useEffect(() => {
    document.title = `${t('app.name')} – ${t('app.tagline')}`;
  }, [t, path]);
  // The residents' page is public: it needs no session, and shows the same to everyone.
  if (path === '/invanare') {
    return (
      <Layout>
        <ResidentsPage />
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
