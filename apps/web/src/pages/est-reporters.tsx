import { NotFoundPage } from './not-found';

/** Being built (placeholder until its page lands). */
export function EstReportersPage() {
  return <NotFoundPage />;
}
