import { NotFoundPage } from './not-found';

/** Being built (placeholder until its page lands). */
export function SafetyWalkPage({ walkId }: { walkId: string }) {
  void walkId;
  return <NotFoundPage />;
}
