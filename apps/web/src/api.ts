/**
 * The API as the app calls it: same origin, the session cookie, the CSRF token on every change,
 * and errors as the problem details the API answers with.
 */

export interface FieldProblem {
  readonly path: string;
  readonly reason: string;
}

/** An RFC 9457 problem the API answered with, or one made here for a network failure. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly errors: readonly FieldProblem[] = [],
    /** Where a possible personal identity number was found (PERSONAL_DATA.*). */
    readonly spans: readonly { path: string; start: number; end: number }[] = [],
  ) {
    super(detail || title);
    this.name = 'ApiProblem';
  }
}

let csrfToken: string | null = null;

/** Set from GET /api/auth/session: what every change made with the session cookie carries. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export interface ApiRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly body?: unknown;
  /** One per submission, so that a repeated click or a retry records once. */
  readonly idempotencyKey?: string;
  /** The fields whose possible personal identity numbers the author has confirmed are none. */
  readonly confirmPersonalData?: readonly string[];
  readonly signal?: AbortSignal;
}

export async function api<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const method = request.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (request.idempotencyKey) headers['Idempotency-Key'] = request.idempotencyKey;
  if (request.confirmPersonalData?.length) {
    headers['Personal-Data-Confirmed'] = request.confirmPersonalData.join(',');
  }
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiProblem(0, 'NETWORK', 'No connection', 'The service could not be reached');
  }
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    const body = (await response.json()) as Partial<{
      code: string;
      title: string;
      detail: string;
      errors: FieldProblem[];
      spans: { path: string; start: number; end: number }[];
    }>;
    throw new ApiProblem(
      response.status,
      body.code ?? `HTTP_${response.status}`,
      body.title ?? response.statusText,
      body.detail ?? '',
      body.errors ?? [],
      body.spans ?? [],
    );
  }
  throw new ApiProblem(response.status, `HTTP_${response.status}`, response.statusText, '');
}
