import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiProblem, setCsrfToken } from './api';

export interface Session {
  readonly userId: string;
  readonly displayName: string | null;
  readonly agency: string;
  readonly roles: readonly string[];
  readonly activeRole: string | null;
  readonly pending: boolean;
  readonly csrfToken: string | null;
}

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out' }
  | { readonly status: 'signed-in'; readonly session: Session }
  | { readonly status: 'failed'; readonly problem: ApiProblem };

interface SessionContextValue {
  readonly state: SessionState;
  readonly reload: () => void;
  readonly signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const aborted = new AbortController();
    api<Session>('/auth/session', { signal: aborted.signal })
      .then((session) => {
        setCsrfToken(session.csrfToken);
        setState({ status: 'signed-in', session });
      })
      .catch((error: unknown) => {
        if (aborted.signal.aborted) return;
        setCsrfToken(null);
        if (error instanceof ApiProblem && error.status === 401) setState({ status: 'signed-out' });
        else if (error instanceof ApiProblem) setState({ status: 'failed', problem: error });
      });
    return () => aborted.abort();
  }, [generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const signOut = useCallback(async () => {
    const ended = await api<{ endSessionUrl: string | null }>('/auth/logout', { method: 'POST' });
    setCsrfToken(null);
    // The provider's own sign-out ends the single sign-on too; it returns to the app.
    if (ended.endSessionUrl) window.location.assign(ended.endSessionUrl);
    else setState({ status: 'signed-out' });
  }, []);
  return (
    <SessionContext.Provider value={{ state, reload, signOut }}>{children}</SessionContext.Provider>
  );
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
