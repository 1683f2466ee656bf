import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import { inMenuFor, MAIN_MENU } from '../navigation';
import { Link, takeTitleFocus } from '../router';
import { useSession } from '../session';

/**
 * Every page's frame: a skip link first in the tab order, the service's name, the main menu,
 * who is signed in and in which role, the language switch, and the page in `<main>`.
 */
export function Layout({ children }: { children: ReactNode }) {
  const { t, language, setLanguage, agency, role } = useI18n();
  const { state, signOut } = useSession();
  const signedIn = state.status === 'signed-in' ? state.session : undefined;
  const other = language === 'sv' ? 'en' : 'sv';
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skip.toMain')}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="site-header__name">
            <span className="site-header__app">{t('app.name')}</span>
            <span className="site-header__tagline">{t('app.tagline')}</span>
          </Link>
          <div className="site-header__tools">
            <button type="button" className="link-button" onClick={() => setLanguage(other)}>
              <span className="visually-hidden">{t('lang.switchLabel')} </span>
              <span lang={other}>{t('lang.switch')}</span>
            </button>
            {signedIn && (
              <button type="button" className="link-button" onClick={() => void signOut()}>
                {t('session.signOut')}
              </button>
            )}
          </div>
        </div>
        {signedIn && !signedIn.pending && (
          <nav aria-label={t('nav.label')} className="site-nav">
            <ul>
              {MAIN_MENU.filter(inMenuFor(signedIn.activeRole)).map((item) => (
                <li key={item.path}>
                  <Link to={item.path}>{t(item.label)}</Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      {signedIn && signedIn.activeRole && (
        <p className="acting-as">
          {signedIn.displayName ? `${signedIn.displayName} · ` : ''}
          {t('session.actingAs', {
            role: role(signedIn.activeRole),
            agency: agency(signedIn.agency),
          })}
        </p>
      )}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>{t('footer.about')}</p>
      </footer>
    </>
  );
}

/** A page's one heading: focusable, so a navigation can move focus to it. */
export function PageTitle({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeTitleFocus()) heading.current?.focus();
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}
