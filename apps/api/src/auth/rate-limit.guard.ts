import { createHmac } from 'node:crypto';
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
import { integerSetting } from '@samverkan/shared/configuration/read-setting';
import type { AuthenticatedRequest } from './current-actor.decorator';
import { identityKey } from './token-secret';

const NO_RATE_LIMIT = 'samverkan:no-rate-limit';
const OWN_RATE_LIMIT = 'samverkan:own-rate-limit';

/** The route touches nothing, not even a counter (the liveness probe). */
export const NoRateLimit = (): MethodDecorator => SetMetadata(NO_RATE_LIMIT, true);

/** A stricter limit of a public route's own, counted apart from the other public routes. */
export interface OwnRateLimit {
  /** The counter's name, e.g. `unsafe-place`. */
  readonly bucket: string;
  /** Requests per client address and window, read when the app starts. */
  readonly perAddress: (env: NodeJS.ProcessEnv) => number;
  readonly windowSeconds: number;
}

/** Counts the route per client address under its own, stricter limit (a public form). */
export const RateLimitOf = (limit: OwnRateLimit): MethodDecorator =>
  SetMetadata(OWN_RATE_LIMIT, limit);

/** Requests per window and the window's length, from the environment. */
export interface RateLimitConfig {
  /** Per signed-in user or API key. */
  readonly perCaller: number;
  /** Per client address, on the routes that need no credentials. */
  readonly perAddress: number;
  readonly windowSeconds: number;
}

export function rateLimitConfig(env: NodeJS.ProcessEnv = process.env): RateLimitConfig {
  return {
    perCaller: integerSetting(env, 'SAMVERKAN_RATE_LIMIT'),
    perAddress: integerSetting(env, 'SAMVERKAN_RATE_LIMIT_PUBLIC'),
    windowSeconds: integerSetting(env, 'SAMVERKAN_RATE_LIMIT_WINDOW'),
  };
}

/**
 * What stands for a client address wherever one is counted or logged (rate limits, the
 * security log): a keyed digest, HMAC-SHA256 under a key of the day (UTC), itself derived from
 * the server's identity key. The same address gives the same digest all day on every instance,
 * so limits hold; the address itself is never stored or logged, no one without the key can
 * compute a digest from a guessed address, and tomorrow's digest of the same address cannot be
 * linked to today's. (The identity key, not the token key: production signs no tokens of its
 * own and makes a fresh token key per process, which replicas would not share.)
 */
@Injectable()
export class ClientAddresses {
  private readonly secret = identityKey();
  private day: { date: string; key: Buffer } | undefined;

  digest(request: { ip?: string | undefined }, now = new Date()): string {
    const date = now.toISOString().slice(0, 10);
    if (this.day?.date !== date) {
      this.day = {
        date,
        key: createHmac('sha256', this.secret).update(`client-address\n${date}`).digest(),
      };
    }
    return createHmac('sha256', this.day.key)
      .update(request.ip ?? 'unknown')
      .digest('base64url')
      .slice(0, 22);
  }
}

/**
 * Limits requests per caller (a user or an agency system's key) and, where no credentials are
 * needed, per client address (its daily digest): 429 with Retry-After past the limit. Runs after
 * authentication, so a caller is counted under who they are, not where they come from; the
 * counters are in the database, so the limit holds across API instances. The client address is
 * the socket's unless SAMVERKAN_TRUST_PROXY names the proxies in front.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly config = rateLimitConfig();
  private readonly own = new Map<string, number>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
    private readonly addresses: ClientAddresses,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.get<boolean>(NO_RATE_LIMIT, context.getHandler())) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = request.actor;
    if (actor) {
      const hit = await this.limits.hit(
        `caller:${actor.agency}:${actor.userId}`,
        this.config.windowSeconds,
      );
      refuseBeyond(hit, this.config.perCaller);
      return true;
    }
    const address = this.addresses.digest(request);
    const own = this.reflector.get<OwnRateLimit | undefined>(OWN_RATE_LIMIT, context.getHandler());
    if (own) {
      const limit = this.own.get(own.bucket) ?? own.perAddress(process.env);
      this.own.set(own.bucket, limit);
      refuseBeyond(await this.limits.hit(`${own.bucket}:${address}`, own.windowSeconds), limit);
      return true;
    }
    const hit = await this.limits.hit(`address:${address}`, this.config.windowSeconds);
    refuseBeyond(hit, this.config.perAddress);
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
