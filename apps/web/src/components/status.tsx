import type { ApiProblem } from '../api';
import { useI18n } from '../i18n';

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('loading')}
    </p>
  );
}

/** A failed read, in words a user can act on, with a way to try again. */
export function Failed({ problem, retry }: { problem: ApiProblem; retry?: () => void }) {
  const { t } = useI18n();
  const said =
    problem.status === 403
      ? t('error.forbidden')
      : problem.status === 503 || problem.status === 0
        ? t('error.unavailable')
        : problem.detail || problem.title;
  return (
    <div className="notice notice--error" role="alert">
      <h2>{t('error.title')}</h2>
      <p>{said}</p>
      {retry && (
        <button type="button" className="button button--secondary" onClick={retry}>
          {t('error.retry')}
        </button>
      )}
    </div>
  );
}
