import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { useI18n } from '../i18n';
import { Link, useRoute } from '../router';
import { useApi } from '../use-api';

interface Provider {
  readonly id: string;
  readonly name: string;
  readonly signIn: string;
}

/**
 * The way in: one button per identity provider the partnership trusts (the municipality's,
 * the police's), back to the page the user came for once signed in.
 */
export function SignInPage() {
  const { t } = useI18n();
  const { path, search } = useRoute();
  const providers = useApi<Provider[]>('/auth/providers');
  const returnTo = `${path}${search.size > 0 ? `?${search.toString()}` : ''}`;
  return (
    <>
      <PageTitle>{t('signIn.title')}</PageTitle>
      <p className="lead">{t('signIn.lead')}</p>
      {providers.status === 'loading' && <Loading />}
      {providers.status === 'failed' && (
        <Failed problem={providers.problem} retry={providers.retry} />
      )}
      {providers.status === 'ok' &&
        (providers.data.length === 0 ? (
          <p>{t('signIn.none')}</p>
        ) : (
          <ul className="provider-list">
            {providers.data.map((p) => (
              <li key={p.id}>
                <a className="button" href={`${p.signIn}&returnTo=${encodeURIComponent(returnTo)}`}>
                  {t('signIn.with', { provider: p.name })}
                </a>
              </li>
            ))}
          </ul>
        ))}
      <p>
        <Link to="/invanare">{t('signIn.residents')}</Link>
      </p>
      <p>
        <Link to="/otrygg">{t('unsafe.link')}</Link>
      </p>
    </>
  );
}
