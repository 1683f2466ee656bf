import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiProblem } from './api';

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ok'; readonly data: T }
  | { readonly status: 'failed'; readonly problem: ApiProblem };

type Retryable<T> = Loaded<T> & { readonly retry: () => void };

/**
 * Runs `load` when `key` changes (not at all while it is undefined): loading, the data, or the
 * problem; `retry` runs it again. A load overtaken by a newer one is aborted and forgotten.
 */
function useLoad<T>(
  key: string | undefined,
  load: (key: string, signal: AbortSignal) => Promise<T>,
): Retryable<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const shown = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (key === undefined) return;
    const aborted = new AbortController();
    // Asked again for the same thing (a retry, a live update): what is shown stays until then.
    if (shown.current !== key) setState({ status: 'loading' });
    shown.current = key;
    load(key, aborted.signal)
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
    // `load` is a module-level function per hook below: the key says what to load.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { ...state, retry };
}

const getOne = <T>(path: string, signal: AbortSignal) => api<T>(path, { signal });

/** A GET of the API for a page. */
export function useApi<T>(path: string | undefined): Retryable<T> {
  return useLoad<T>(path, getOne);
}

async function getAll<T>(path: string, signal: AbortSignal): Promise<{ items: T[] }> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page: { items: T[]; nextCursor: string | null } = await api(
      `${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { signal },
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return { items };
}

/**
 * Every page of a cursor-paged list (`{ items, nextCursor }`), for the small lists a form
 * chooses from (the places register): one request per 100 items.
 */
export function useAllPages<T>(path: string): Retryable<{ items: T[] }> {
  return useLoad<{ items: T[] }>(path, getAll);
}
