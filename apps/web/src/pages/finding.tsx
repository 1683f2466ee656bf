import { NotFoundPage } from './not-found';

/** Being built (placeholder until its page lands). */
export function FindingPage({ findingId }: { findingId: string }) {
  void findingId;
  return <NotFoundPage />;
}
