import { createServer } from 'node:net';

/** A free TCP port on the loopback address (the issuer URL names it before anything listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

interface Cookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

/** Enough of RFC 6265 for one host: name and path key a cookie, expired ones are dropped. */
export class CookieJar {
  private readonly cookies = new Map<string, Cookie>();

  store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      let path = url.pathname.slice(0, url.pathname.lastIndexOf('/')) || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', attributeValue = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = attributeValue;
        if (key.toLowerCase() === 'expires') expired ||= Date.parse(attributeValue) <= Date.now();
        if (key.toLowerCase() === 'max-age') expired ||= Number(attributeValue) <= 0;
      }
      if (expired) this.cookies.delete(`${name};${path}`);
      else this.cookies.set(`${name};${path}`, { name, value, path });
    }
  }

  get(name: string): string | undefined {
    return [...this.cookies.values()].find((c) => c.name === name)?.value;
  }

  header(url: URL): string {
    const matches = (path: string) =>
      url.pathname === path ||
      (url.pathname.startsWith(path) && (path.endsWith('/') || url.pathname[path.length] === '/'));
    return [...this.cookies.values()]
      .filter((cookie) => matches(cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }
}

export interface Visit {
  readonly response: Response;
  readonly body: string;
  /** Every response on the way, redirects included, with the URL it answered. */
  readonly trail: readonly { readonly url: URL; readonly response: Response }[];
}

/**
 * A browser as far as sign-in needs one: a cookie jar (by cookie name and path; the service's
 * and the providers' cookies have names of their own), redirects followed by hand, also to a
 * provider elsewhere, forms posted url-encoded, extra headers (a CSRF token) when asked.
 */
export class Browser {
  readonly jar = new CookieJar();

  constructor(private readonly origin: string) {}

  async visit(
    target: string,
    options: {
      form?: Record<string, string>;
      json?: unknown;
      headers?: Record<string, string>;
      /** Stop at a redirect to a URL this accepts, without following it. */
      stopBefore?: (url: URL) => boolean;
    } = {},
  ): Promise<Visit> {
    let url = new URL(target, this.origin);
    let init: RequestInit = options.form
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
          body: new URLSearchParams(options.form).toString(),
        }
      : options.json !== undefined
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...options.headers },
            body: JSON.stringify(options.json),
          }
        : { method: 'GET', headers: { ...options.headers } };
    const trail: { url: URL; response: Response }[] = [];
    for (let hops = 0; hops < 15; hops += 1) {
      const headers = new Headers(init.headers);
      const cookie = this.jar.header(url);
      if (cookie) headers.set('cookie', cookie);
      const response = await fetch(url, { ...init, headers, redirect: 'manual' });
      this.jar.store(url, response);
      trail.push({ url, response });
      const location = response.headers.get('location');
      const next = location ? new URL(location, url) : undefined;
      if (response.status < 300 || response.status >= 400 || !next || options.stopBefore?.(next)) {
        return { response, body: await response.text(), trail };
      }
      await response.arrayBuffer();
      url = next;
      init = { method: 'GET' };
    }
    throw new Error('too many redirects');
  }

  /**
   * Signs in at the service through its development provider as a demo user: the service's
   * redirect to the provider, the provider's login page, the demo account chosen, the code
   * returned to the service, the session opened, and back to `returnTo`.
   */
  async signIn(
    subject: string,
    returnTo = '/me',
    stopBefore?: (url: URL) => boolean,
  ): Promise<Visit & { loginTrail: Visit['trail'] }> {
    const login = await this.visit(
      `/auth/login?provider=utveckling&returnTo=${encodeURIComponent(returnTo)}`,
    );
    const action = /<form method="post" action="([^"]+)">/.exec(login.body)?.[1];
    if (!action)
      throw new Error(`No login form: ${login.response.status} ${login.body.slice(0, 300)}`);
    const done = await this.visit(action.replace(/&amp;/g, '&'), {
      form: { subject },
      ...(stopBefore ? { stopBefore } : {}),
    });
    return { ...done, loginTrail: login.trail };
  }
}
