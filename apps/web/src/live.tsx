import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { useSession } from './session';

/** That something the user may read has changed: which stream, never what it says. */
export interface LiveNotification {
  readonly position: number;
  readonly type: string;
  readonly streamId: string;
}

/** `null`: the server could not replay what was missed; reload everything shown. */
type Listener = (notification: LiveNotification | null) => void;

const LiveContext = createContext<Set<Listener> | undefined>(undefined);

/**
 * One server-sent events stream per signed-in tab (`/api/live`). The browser reconnects by
 * itself, resuming with Last-Event-ID; when the server ends the stream (signed out elsewhere,
 * a role revoked) it stays closed and the session is read again, which shows the sign-in page
 * or what the user may still do.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { state, reload } = useSession();
  const listeners = useRef(new Set<Listener>());
  const userId = state.status === 'signed-in' && !state.session.pending ? state.session.userId : '';
  const role = state.status === 'signed-in' ? state.session.activeRole : null;
  useEffect(() => {
    if (!userId) return;
    const source = new EventSource('/api/live');
    const tell = (n: LiveNotification | null) => {
      for (const listener of listeners.current) listener(n);
    };
    source.addEventListener('notification', (event) => {
      tell(JSON.parse((event as MessageEvent<string>).data) as LiveNotification);
    });
    source.addEventListener('reset', () => tell(null));
    source.addEventListener('end', () => {
      source.close();
      reload();
    });
    return () => source.close();
  }, [userId, role, reload]);
  return <LiveContext.Provider value={listeners.current}>{children}</LiveContext.Provider>;
}

/** Calls `listener` for each notification while the component is shown. */
export function useLive(listener: Listener): void {
  const listeners = useContext(LiveContext);
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    if (!listeners) return;
    const call: Listener = (n) => latest.current(n);
    listeners.add(call);
    return () => {
      listeners.delete(call);
    };
  }, [listeners]);
}
