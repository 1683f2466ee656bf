import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '@samverkan/domain/actor';
import type { AgencyCode, Role } from '@samverkan/domain/agencies/agencies';
import { forbidden } from '@samverkan/domain/domain-error';
import { SIGN_IN_STORE, type SignInStore } from '@samverkan/event-store/sign-in.port';
import type { Request } from 'express';
import { ApiKeyRegistry, hashApiKey } from './api-keys';
import { samverkanEnvironment } from './environment';
import { subjectDigest, userIdFor } from './identities';
import { RelyingParty } from './oidc/relying-party';
import {
  CSRF_HEADER,
  SAFE_METHODS,
  sessionDigest,
  sessionIdOf,
  sessionSettings,
  type SessionSettings,
} from './sessions';
import { identityKey, TOKEN_AUDIENCE, TOKEN_ISSUER } from './token-secret';
import { UnauthenticatedError } from './unauthenticated.error';
import { UserRegister } from './user-register';

/** Who is calling: a known user (perhaps with no role yet), and the role they act in now. */
export interface Caller {
  readonly userId: string;
  readonly via: 'session' | 'bearer' | 'development-token' | 'api-key';
  /** Their agency and roles in the register now; none for a user still pending. */
  readonly agency: AgencyCode | null;
  readonly roles: readonly Role[];
  /** The user acting in their active role; undefined while pending. */
  readonly actor: Actor | undefined;
  /** The role asked for (by the session or token) that the user no longer holds. */
  readonly roleNotHeld?: string;
  /** The cookie session's digest and CSRF token, when signed in through the browser. */
  readonly session?: {
    readonly digest: string;
    readonly csrfToken: string;
    readonly issuer: string;
  };
}

/** A header an API client may send to act in one of several roles it holds. */
export const ROLE_HEADER = 'x-samverkan-role';

/**
 * Decides who a request comes from: a browser session, a bearer JWT from a trusted issuer, a
 * development token (development only) or an agency system's API key. Credentials only say who
 * signed in; the partnership's register says what they may do, read on every request.
 */
@Injectable()
export class Authenticator {
  private readonly settings: SessionSettings = sessionSettings();
  private readonly key = identityKey();

  constructor(
    private readonly jwt: JwtService,
    private readonly relyingParty: RelyingParty,
    private readonly register: UserRegister,
    private readonly configuredKeys: ApiKeyRegistry,
    @Inject(SIGN_IN_STORE) private readonly signIn: SignInStore,
  ) {}

  get sessionSettings(): SessionSettings {
    return this.settings;
  }

  /**
   * The caller, or undefined when the request carries no credentials at all. `public` routes
   * (health) may know the caller from the register as last read while the store is down.
   */
  async authenticate(request: Request, publicRoute = false): Promise<Caller | undefined> {
    const header = request.headers.authorization;
    if (header) return this.fromAuthorization(header, request, publicRoute);
    const sessionId = sessionIdOf(request, this.settings);
    if (sessionId) return this.fromSession(sessionId, request, publicRoute);
    return undefined;
  }

  private async fromSession(sessionId: string, request: Request, stale: boolean): Promise<Caller> {
    const digest = sessionDigest(sessionId);
    const session = await this.signIn.touchSession(digest, new Date(), this.settings.idleSeconds);
    if (!session) throw new UnauthenticatedError('The session has ended; sign in again');
    // A cookie goes along with any request a browser makes, also one another site caused:
    // a change needs the token only this service's pages can read.
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
        throw forbidden(
          'AUTH.CSRF',
          `A change made with a session cookie needs the ${CSRF_HEADER} header from GET /auth/session`,
        );
      }
    }
    const caller = await this.caller(session.userId, 'session', session.activeRole, stale);
    // The provider that vouched at sign-in must still be trusted, and trusted for the agency
    // the register now puts the user in (a grant after sign-in does not widen what it vouched).
    const issuer = this.relyingParty.byId(session.issuer);
    if (!issuer || (caller.agency && !issuer.agencies.includes(caller.agency))) {
      await this.signIn.endSession(digest);
      throw new UnauthenticatedError(
        `The provider you signed in with may not vouch for users of ${caller.agency ?? 'this partnership'}; sign in through your agency's provider`,
      );
    }
    return {
      ...caller,
      session: { digest, csrfToken: session.csrfToken, issuer: session.issuer },
    };
  }

  private async fromAuthorization(
    header: string,
    request: Request,
    stale: boolean,
  ): Promise<Caller> {
    const [scheme, credential] = header.split(' ', 2);
    if (scheme?.toLowerCase() === 'apikey' && credential) return this.fromApiKey(credential);
    if (scheme?.toLowerCase() !== 'bearer' || !credential) {
      throw new UnauthenticatedError(
        "Use 'Authorization: Bearer <token>' or 'Authorization: ApiKey <key>'",
      );
    }
    const requestedRole = request.headers[ROLE_HEADER];
    const role = typeof requestedRole === 'string' ? requestedRole : null;
    if (headerAlgorithm(credential) === 'HS256') {
      return this.fromDevelopmentToken(credential, stale);
    }
    const { issuer, subject } = await this.relyingParty.verifyBearer(credential);
    const digest = subjectDigest(this.key, issuer.issuer, subject);
    // A system or person seen for the first time is linked, so its administrator sees it as
    // pending; it gets nothing until granted.
    const { userId } = await this.signIn.linkIdentity({
      issuer: issuer.issuer,
      subjectDigest: digest,
      userId: issuer.presetUserId?.(subject) ?? userIdFor(this.key, issuer.issuer, subject),
      displayName: null,
    });
    const caller = await this.caller(userId, 'bearer', role, stale);
    if (caller.agency && !issuer.agencies.includes(caller.agency)) {
      throw new UnauthenticatedError(`${issuer.name} may not vouch for users of ${caller.agency}`);
    }
    return caller;
  }

  /** HS256 tokens of `npm run token`: development only, and only for users in the register. */
  private async fromDevelopmentToken(token: string, stale: boolean): Promise<Caller> {
    if (samverkanEnvironment() === 'production') {
      throw new UnauthenticatedError(
        'Development tokens (HS256) are not accepted in production; sign in or use an API key',
      );
    }
    let claims: { sub?: unknown; role?: unknown; exp?: unknown };
    try {
      claims = await this.jwt.verifyAsync<{ sub?: unknown; role?: unknown; exp?: unknown }>(token, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      });
    } catch (error) {
      throw new UnauthenticatedError(
        `The bearer token ${error instanceof Error && error.name === 'TokenExpiredError' ? 'has expired' : 'is not valid'}`,
      );
    }
    // A token that never expires is a key for ever: refused whatever signed it.
    if (typeof claims.exp !== 'number') {
      throw new UnauthenticatedError('The bearer token has no expiry (exp)');
    }
    if (typeof claims.sub !== 'string' || claims.sub === '') {
      throw new UnauthenticatedError('The bearer token names no user (sub)');
    }
    const caller = await this.caller(
      claims.sub,
      'development-token',
      typeof claims.role === 'string' ? claims.role : null,
      stale,
    );
    // Whoever holds the development key could name anyone: only granted users are named.
    if (caller.roles.length === 0) {
      throw new UnauthenticatedError('The token names a user who holds no role in the register');
    }
    return caller;
  }

  private async fromApiKey(key: string): Promise<Caller> {
    const configured = this.configuredKeys.actorFor(key);
    if (configured) {
      return {
        userId: configured.userId,
        via: 'api-key',
        agency: configured.agency,
        roles: [configured.role],
        actor: configured,
      };
    }
    const record = await this.signIn.apiKeyByDigest(hashApiKey(key));
    if (!record || record.revokedAt) throw new UnauthenticatedError('The API key is not known');
    const actor: Actor = {
      userId: `system:${record.agency}:${record.systemId}`,
      agency: record.agency as AgencyCode,
      role: 'agency-system',
    };
    return {
      userId: actor.userId,
      via: 'api-key',
      agency: actor.agency,
      roles: [actor.role],
      actor,
    };
  }

  /**
   * The user as the register has them now, acting in the role asked for. A role asked for that
   * they no longer hold is refused rather than swapped for another behind their back.
   */
  private async caller(
    userId: string,
    via: Caller['via'],
    activeRole: string | null,
    /** A public route may know the caller from the register as last read (see UserRegister). */
    stale: boolean,
  ): Promise<Caller> {
    const user = await this.register.rolesOf(userId, {
      staleWhenUnreachable: stale,
    });
    if (!user) return { userId, via, agency: null, roles: [], actor: undefined };
    const role = activeRole ?? user.roles[0]!;
    if (!user.roles.includes(role as Role)) {
      // Not acting in any role: only sign-out, who-am-I and switching the role answer them.
      return {
        userId,
        via,
        agency: user.agency,
        roles: user.roles,
        actor: undefined,
        roleNotHeld: role,
      };
    }
    return {
      userId,
      via,
      agency: user.agency,
      roles: user.roles,
      actor: { userId, agency: user.agency, role: role as Role },
    };
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The `alg` a JWT's header names, without trusting anything else in it. */
function headerAlgorithm(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
      alg?: unknown;
    };
    return typeof header.alg === 'string' ? header.alg : undefined;
  } catch {
    return undefined;
  }
}
