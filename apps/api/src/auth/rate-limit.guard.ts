import {
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  RATE_LIMITS,
  type RateLimitHit,
  type RateLimits,
} from '@samverkan/event-store/rate-limits.port';
import { RateLimitedError } from '@samverkan/shared/errors';
import type { AuthenticatedRequest } from './current-actor.decorator';

const NO_RATE_LIMIT = 'samverkan:no-rate-limit';

/** The route touches nothing, not even a counter (the liveness probe). */
export const NoRateLimit = (): MethodDecorator => SetMetadata(NO_RATE_LIMIT, true);

/** Requests per window and the window's length, from the environment. */
export interface RateLimitConfig {
  /** Per signed-in user or API key. */
  readonly perCaller: number;
  /** Per client address, on the routes that need no credentials. */
  readonly perAddress: number;
  readonly windowSeconds: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
    throw new Error(`${name} must be a whole number from 1 to 1000000`);
  }
  return n;
}

export function rateLimitConfig(env: NodeJS.ProcessEnv = process.env): RateLimitConfig {
  return {
    perCaller: positive(env, 'SAMVERKAN_RATE_LIMIT', 600),
    perAddress: positive(env, 'SAMVERKAN_RATE_LIMIT_PUBLIC', 120),
    windowSeconds: positive(env, 'SAMVERKAN_RATE_LIMIT_WINDOW', 60),
  };
}

/**
 * Limits requests per caller (a user or an agency system's key) and, where no credentials are
 * needed, per client address: 429 with Retry-After past the limit. Runs after authentication,
 * so a caller is counted under who they are, not where they come from; the counters are in the
 * database, so the limit holds across API instances. The client address is the socket's unless
 * SAMVERKAN_TRUST_PROXY names the proxies in front.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly config = rateLimitConfig();

  constructor(
    private readonly reflector: Reflector,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.get<boolean>(NO_RATE_LIMIT, context.getHandler())) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = request.actor;
    const [key, limit] = actor
      ? [`caller:${actor.agency}:${actor.userId}`, this.config.perCaller]
      : [`address:${request.ip ?? 'unknown'}`, this.config.perAddress];
    refuseBeyond(await this.limits.hit(key, this.config.windowSeconds), limit);
    return true;
  }
}

/** Past the limit: 429, with the seconds until the window ends as Retry-After. */
export function refuseBeyond(hit: RateLimitHit, limit: number): void {
  if (hit.count > limit) {
    throw new RateLimitedError(
      Math.max(1, Math.ceil((hit.resetsAt.getTime() - Date.now()) / 1000)),
    );
  }
}
