import { useCallback, useEffect, useState } from 'react';
import { api, ApiProblem } from './api';

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ok'; readonly data: T }
  | { readonly status: 'failed'; readonly problem: ApiProblem };

/** A GET of the API for a page: loading, the data, or the problem; `retry` asks again. */
export function useApi<T>(path: string | undefined): Loaded<T> & { readonly retry: () => void } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (path === undefined) return;
    const aborted = new AbortController();
    setState({ status: 'loading' });
    api<T>(path, { signal: aborted.signal })
      .then((data) => setState({ status: 'ok', data }))
      .catch((error: unknown) => {
        if (aborted.signal.aborted) return;
        setState({
          status: 'failed',
          problem:
            error instanceof ApiProblem
              ? error
              : new ApiProblem(0, 'UNEXPECTED', 'Unexpected error', String(error)),
        });
      });
    return () => aborted.abort();
  }, [path, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { ...state, retry };
}
