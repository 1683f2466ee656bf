import { NotFoundPage } from './not-found';

/** Being built (placeholder until its page lands). */
export function PreventionTalkPage({ talkId }: { talkId: string }) {
  void talkId;
  return <NotFoundPage />;
}
