import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden } from '@samverkan/domain/domain-error';
import { RATE_LIMITS, type RateLimits } from '@samverkan/event-store/rate-limits.port';
import { Authenticator } from './authenticator';
import type { AuthenticatedRequest } from './current-actor.decorator';
import { ALLOWS_PENDING, IS_PUBLIC } from './public.decorator';
import { ClientAddresses, rateLimitConfig, refuseBeyond } from './rate-limit.guard';
import { UnauthenticatedError } from './unauthenticated.error';

/**
 * Every route needs a caller unless marked @Public(), and a caller who holds a role in the
 * partnership's register unless marked @AllowPending(). Who the caller is comes from the
 * Authenticator (session cookie, bearer token or API key).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly limit = rateLimitConfig();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
    private readonly addresses: ClientAddresses,
  ) {}

  private marked(key: string, context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean>(key, [context.getHandler(), context.getClass()]) ??
      false
    );
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.marked(IS_PUBLIC, context)) {
      // A public route answers everyone; one that shows more to a role (health details for
      // the operator) learns who asks when valid credentials come along, and nothing else.
      if (request.headers.authorization) {
        request.caller = await this.authenticator
          .authenticate(request, true)
          .catch(() => undefined);
        request.actor = request.caller?.actor;
      }
      return true;
    }
    try {
      const caller = await this.authenticator.authenticate(request);
      if (!caller) {
        throw new UnauthenticatedError(
          'Sign in (GET /api/auth/login), or send a bearer token or an API key in the Authorization header',
        );
      }
      request.caller = caller;
      request.actor = caller.actor;
    } catch (error) {
      // Failed sign-ins are counted per client address before anyone is known, so keys and
      // tokens cannot be guessed at the speed of the network.
      if (error instanceof UnauthenticatedError) {
        refuseBeyond(
          await this.limits.hit(
            `failed-authentication:${this.addresses.digest(request)}`,
            this.limit.windowSeconds,
          ),
          this.limit.perAddress,
        );
      }
      throw error;
    }
    const notHeld = request.caller?.roleNotHeld;
    // A session whose role was revoked may still switch role and sign out; a token cannot
    // switch, so it is refused everywhere.
    if (notHeld && !(request.caller?.via === 'session' && this.marked(ALLOWS_PENDING, context))) {
      throw forbidden(
        'AUTH.ROLE_NOT_HELD',
        `You do not hold the role ${notHeld} (any more); choose one of: ${request.caller.roles.join(', ')}`,
      );
    }
    if (!request.actor && !this.marked(ALLOWS_PENDING, context)) {
      throw forbidden(
        'AUTH.NO_ROLE',
        "You are signed in, but hold no role in the partnership yet: your agency's user administrator grants roles",
      );
    }
    return true;
  }
}
