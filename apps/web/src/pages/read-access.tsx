import { NotFoundPage } from './not-found';

/** Being built (placeholder until its page lands). */
export function ReadAccessPage() {
  return <NotFoundPage />;
}
