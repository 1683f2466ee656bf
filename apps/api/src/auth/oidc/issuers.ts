import { AGENCIES, isAgencyCode, type AgencyCode } from '@samverkan/domain/agencies/agencies';

/**
 * An identity provider the partnership trusts, and the agencies it may vouch for: the
 * municipality's Entra ID vouches for the municipality's administrations, not for the police,
 * whose staff sign in through their own provider.
 */
export interface TrustedIssuer {
  /** Short id used in URLs (`/auth/login?provider=<id>`). */
  readonly id: string;
  /** What the sign-in page shows: "Hammarö kommun", "Polisen". */
  readonly name: string;
  /** The issuer URL; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly agencies: readonly AgencyCode[];
  /**
   * The user id a subject already has, if any: the development provider's demo subjects are
   * the seed's pseudonymous ids. Every other subject gets a keyed hash.
   */
  readonly presetUserId?: (subject: string) => string | undefined;
}

const ID = /^[a-z0-9][a-z0-9-]{0,40}$/;

/**
 * SAMVERKAN_OIDC_ISSUERS: a JSON list of `{ id, name, issuer, clientId, clientSecret, agencies }`.
 * A client secret may be given as `clientSecretEnv`, the name of a variable that holds it, so
 * the list itself holds no secret.
 */
export function trustedIssuersFromEnv(env: NodeJS.ProcessEnv = process.env): TrustedIssuer[] {
  const raw = env['SAMVERKAN_OIDC_ISSUERS']?.trim();
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('SAMVERKAN_OIDC_ISSUERS must be a JSON list of issuers');
  }
  if (!Array.isArray(parsed)) throw new Error('SAMVERKAN_OIDC_ISSUERS must be a JSON list');
  const issuers = parsed.map((entry: unknown, i): TrustedIssuer => {
    const at = `SAMVERKAN_OIDC_ISSUERS[${i}]`;
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const text = (name: string): string => {
      const value = e[name];
      if (typeof value !== 'string' || value.trim() === '') {
        throw new Error(`${at}.${name} must be a non-empty string`);
      }
      return value.trim();
    };
    const id = text('id');
    if (!ID.test(id)) throw new Error(`${at}.id must be a lower-case slug`);
    const issuer = text('issuer');
    let url: URL;
    try {
      // URL() drops tabs and newlines silently; the issuer is compared and hashed as written.
      // eslint-disable-next-line no-control-regex -- control characters are what is refused
      if (/[\u0000-\u001f\u007f\s]/.test(issuer)) throw new Error('control characters');
      url = new URL(issuer);
    } catch {
      throw new Error(`${at}.issuer must be a URL`);
    }
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
    if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
      throw new Error(`${at}.issuer must use https`);
    }
    const secretEnv = typeof e['clientSecretEnv'] === 'string' ? e['clientSecretEnv'] : undefined;
    const clientSecret = secretEnv ? env[secretEnv]?.trim() : text('clientSecret');
    if (!clientSecret) throw new Error(`${at}: the variable ${secretEnv} holds no client secret`);
    const agencies = e['agencies'];
    if (!Array.isArray(agencies) || agencies.length === 0 || !agencies.every(isAgencyCode)) {
      throw new Error(`${at}.agencies must list agencies among: ${AGENCIES.join(', ')}`);
    }
    return {
      id,
      name: text('name'),
      issuer,
      clientId: text('clientId'),
      clientSecret,
      agencies,
    };
  });
  issuers.forEach((issuer, i) => {
    if (issuers.findIndex((other) => other.id === issuer.id) !== i) {
      throw new Error(`SAMVERKAN_OIDC_ISSUERS[${i}].id '${issuer.id}' is used by an earlier entry`);
    }
  });
  return issuers;
}
