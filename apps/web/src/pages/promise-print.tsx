import { NotFoundPage } from './not-found';

/** Being built (placeholder until its page lands). */
export function PromisePrintPage({ promiseId }: { promiseId: string }) {
  void promiseId;
  return <NotFoundPage />;
}
