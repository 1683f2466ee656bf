import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { RATE_LIMITS, type RateLimits } from '@samverkan/event-store/rate-limits.port';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '@samverkan/domain/actor';
import { isAgencyCode, isRoleOf } from '@samverkan/domain/agencies/agencies';
import { ApiKeyRegistry } from './api-keys';
import type { AuthenticatedRequest } from './current-actor.decorator';
import { IS_PUBLIC } from './public.decorator';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './token-secret';
import { samverkanEnvironment } from './environment';
import { rateLimitConfig, refuseBeyond } from './rate-limit.guard';
import { UnauthenticatedError } from './unauthenticated.error';

interface TokenClaims {
  sub?: unknown;
  agency?: unknown;
  role?: unknown;
  exp?: unknown;
}

/**
 * Every route needs a caller unless marked @Public(): a bearer token (JWT signed with the
 * configured key, carrying user id, agency and role) or an agency system's API key.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly limit = rateLimitConfig();

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly apiKeys: ApiKeyRegistry,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
        context.getHandler(),
        context.getClass(),
      ])
    ) {
      // A public route answers everyone; one that shows more to a role (health details for
      // the operator) learns who asks when valid credentials come along, and nothing else.
      if (request.headers.authorization) {
        request.actor = await this.authenticate(request.headers.authorization).catch(
          () => undefined,
        );
      }
      return true;
    }
    try {
      request.actor = await this.authenticate(request.headers.authorization);
    } catch (error) {
      // Failed sign-ins are counted per client address before anyone is known, so keys and
      // tokens cannot be guessed at the speed of the network.
      if (error instanceof UnauthenticatedError) {
        refuseBeyond(
          await this.limits.hit(
            `failed-authentication:${request.ip ?? 'unknown'}`,
            this.limit.windowSeconds,
          ),
          this.limit.perAddress,
        );
      }
      throw error;
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Actor> {
    if (!header) {
      throw new UnauthenticatedError(
        'Send a bearer token or an API key in the Authorization header',
      );
    }
    const [scheme, credential] = header.split(' ', 2);
    if (scheme?.toLowerCase() === 'apikey' && credential) {
      const actor = this.apiKeys.actorFor(credential);
      if (!actor) throw new UnauthenticatedError('The API key is not known');
      return actor;
    }
    if (scheme?.toLowerCase() !== 'bearer' || !credential) {
      throw new UnauthenticatedError(
        "Use 'Authorization: Bearer <token>' or 'Authorization: ApiKey <key>'",
      );
    }
    if (samverkanEnvironment() === 'production') {
      throw new UnauthenticatedError(
        'Development tokens (HS256) are not accepted in production; use an API key',
      );
    }
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & object>(credential, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      });
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TokenExpiredError'
          ? 'has expired'
          : 'is not valid';
      throw new UnauthenticatedError(`The bearer token ${reason}`);
    }
    const { sub, agency, role, exp } = claims;
    // A token that never expires is a key for ever: refused whatever signed it.
    if (typeof exp !== 'number') {
      throw new UnauthenticatedError('The bearer token has no expiry (exp)');
    }
    if (typeof sub !== 'string' || sub === '' || !isAgencyCode(agency) || !isRoleOf(agency, role)) {
      throw new UnauthenticatedError(
        'The bearer token lacks a user id, a known agency or a role of that agency',
      );
    }
    return { userId: sub, agency, role };
  }
}
