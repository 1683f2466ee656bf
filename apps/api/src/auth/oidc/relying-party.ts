import { Injectable, Logger } from '@nestjs/common';
import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import { findPersonalIdentityNumbers } from '@samverkan/domain/personal-data';
import { UnauthenticatedError } from '../unauthenticated.error';
import { publicUrl } from '@samverkan/shared/configuration/common-settings';
import { integerSetting, textSettingOrDefault } from '@samverkan/shared/configuration/read-setting';
import { trustedIssuersFromEnv, type TrustedIssuer } from './issuers';

// openid-client and jose are ES modules only; the project is CommonJS. TypeScript's node16
// module setting keeps `import()` a real dynamic import (swc's ignoreDynamic under Jest), so
// Node's own loader reads them: no bundling, no require of an ES module.
const openIdClient = () => import('openid-client');
const jose = () => import('jose');
type Jose = Awaited<ReturnType<typeof jose>>;
type Configuration = Awaited<ReturnType<Awaited<ReturnType<typeof openIdClient>>['discovery']>>;

/** Asymmetric signatures only: a shared-secret (HS*) or unsigned token is never an identity. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** What a provider said about who signed in. */
export interface VouchedIdentity {
  readonly issuer: TrustedIssuer;
  readonly subject: string;
  readonly displayName: string | null;
}

export interface StartedSignIn {
  readonly url: string;
  readonly state: string;
  readonly codeVerifier: string;
  readonly nonce: string;
}

/**
 * The service as an OpenID Connect relying party of every trusted issuer, through openid-client
 * (certified): discovery and keys fetched on first use and cached; a token signed with a key the
 * cache does not know makes it fetch the issuer's keys again, so a rotated key is accepted
 * without a restart.
 */
@Injectable()
export class RelyingParty {
  private readonly logger = new Logger('SignIn');
  private readonly issuers = new Map<string, TrustedIssuer>();
  private readonly configurations = new Map<string, Promise<Configuration>>();
  private readonly keySets = new Map<string, ReturnType<Jose['createRemoteJWKSet']>>();
  readonly audience = textSettingOrDefault(process.env, 'SAMVERKAN_API_AUDIENCE');
  /**
   * A token with a key id the cache lacks makes the keys be fetched again, at most this often
   * (SAMVERKAN_JWKS_COOLDOWN_SECONDS, 30 by default): a rotation is seen within it, and tokens
   * with made-up key ids cannot make the service hammer the provider.
   */
  private readonly keysCooldownMs =
    integerSetting(process.env, 'SAMVERKAN_JWKS_COOLDOWN_SECONDS') * 1000;

  constructor() {
    for (const issuer of trustedIssuersFromEnv()) this.issuers.set(issuer.id, issuer);
  }

  /** Trusts one more issuer (the local development provider once it runs). */
  trust(issuer: TrustedIssuer): void {
    this.issuers.set(issuer.id, issuer);
  }

  list(): TrustedIssuer[] {
    return [...this.issuers.values()];
  }

  byId(id: string): TrustedIssuer | undefined {
    return this.issuers.get(id);
  }

  byIssuerUrl(url: string): TrustedIssuer | undefined {
    return [...this.issuers.values()].find((i) => i.issuer === url);
  }

  /** Issuers that may vouch for users of the agency. */
  issuersFor(agency: AgencyCode): TrustedIssuer[] {
    return this.list().filter((i) => i.agencies.includes(agency));
  }

  get redirectUri(): string {
    return `${publicUrl()}/api/auth/callback`;
  }

  private configuration(issuer: TrustedIssuer): Promise<Configuration> {
    let found = this.configurations.get(issuer.id);
    if (!found) {
      found = openIdClient().then(async (client) => {
        const insecure = new URL(issuer.issuer).protocol === 'http:';
        return client.discovery(
          new URL(issuer.issuer),
          issuer.clientId,
          issuer.clientSecret,
          undefined,
          insecure ? { execute: [client.allowInsecureRequests] } : undefined,
        );
      });
      // A provider that was down is asked again next time, not remembered as down.
      found.catch((error: unknown) => {
        this.configurations.delete(issuer.id);
        this.logger.warn(`Discovery of ${issuer.id} failed: ${(error as Error).message}`);
      });
      this.configurations.set(issuer.id, found);
    }
    return found;
  }

  /** The provider's authorization URL for a code flow with PKCE, and what to keep until it returns. */
  async start(issuer: TrustedIssuer): Promise<StartedSignIn> {
    const client = await openIdClient();
    const config = await this.configuration(issuer);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state, codeVerifier, nonce };
  }

  /** Redeems the code the provider sent back; the ID token is checked by openid-client. */
  async complete(
    issuer: TrustedIssuer,
    callbackUrl: URL,
    expected: { state: string; codeVerifier: string; nonce: string },
  ): Promise<VouchedIdentity> {
    const client = await openIdClient();
    const config = await this.configuration(issuer);
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw new UnauthenticatedError(
        `The sign-in at ${issuer.name} could not be completed: ${(error as Error).message}`,
      );
    }
    const subject = claims?.['sub'];
    if (typeof subject !== 'string' || subject === '') {
      throw new UnauthenticatedError(`${issuer.name} did not say who signed in`);
    }
    refuseIdentityNumberSubject(issuer, subject);
    const name = claims?.['name'];
    return {
      issuer,
      subject,
      displayName: typeof name === 'string' && name.trim() ? name.trim().slice(0, 200) : null,
    };
  }

  /** The provider's end-session URL, or undefined when it offers none. */
  async endSessionUrl(
    issuer: TrustedIssuer,
    postLogoutRedirectUri: string,
  ): Promise<string | undefined> {
    const client = await openIdClient();
    const config = await this.configuration(issuer);
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(config, {
      client_id: issuer.clientId,
      post_logout_redirect_uri: postLogoutRedirectUri,
    }).href;
  }

  /**
   * A bearer JWT from a trusted issuer, with this API as audience, an asymmetric signature
   * from the issuer's published keys, and an expiry; its subject and issuer.
   */
  async verifyBearer(token: string): Promise<{ issuer: TrustedIssuer; subject: string }> {
    const { decodeJwt, jwtVerify, createRemoteJWKSet } = await jose();
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw new UnauthenticatedError('The bearer token is not a JWT');
    }
    const issuer = typeof iss === 'string' ? this.byIssuerUrl(iss) : undefined;
    if (!issuer) throw new UnauthenticatedError('The bearer token is from an issuer not trusted');
    const config = await this.configuration(issuer);
    const jwksUri = config.serverMetadata().jwks_uri;
    if (!jwksUri) throw new UnauthenticatedError(`${issuer.name} publishes no keys`);
    let keys = this.keySets.get(issuer.id);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: this.keysCooldownMs });
      this.keySets.set(issuer.id, keys);
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: issuer.issuer,
        audience: this.audience,
        algorithms: ASYMMETRIC_ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
      });
      refuseIdentityNumberSubject(issuer, payload.sub!);
      return { issuer, subject: payload.sub! };
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new UnauthenticatedError(
        code === 'ERR_JWT_EXPIRED'
          ? 'The bearer token has expired'
          : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
            ? `The bearer token's claims do not hold: ${(error as Error).message}`
            : 'The bearer token is not valid',
      );
    }
  }
}

/**
 * A provider's subject is kept only as a keyed digest, but one that is a personal identity
 * number is refused all the same: it would travel in every token and log line of the provider's
 * side, and a subject (with `pairwise` subject identifiers, as OpenID Connect offers) needs none.
 * The message never carries the subject.
 */
export function refuseIdentityNumberSubject(
  issuer: { readonly name: string },
  subject: string,
): void {
  if (findPersonalIdentityNumbers(subject).some((span) => span.certainty === 'valid')) {
    throw new UnauthenticatedError(
      `${issuer.name} sends a personal identity number as the subject of its tokens; configure it to send an opaque (pairwise) subject`,
    );
  }
}
