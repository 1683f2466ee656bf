import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { findPersonalIdentityNumbers } from '@samverkan/domain/personal-data';
import {
  PERSONAL_DATA_CONFIRMATIONS,
  type PersonalDataConfirmations,
} from '@samverkan/event-store/personal-data-confirmations.port';
import { SamverkanError } from '@samverkan/shared/errors';
import { from, switchMap, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { routeTemplate } from './route-template';

/** Where a flagged text is: the request part and field, and the span within it. */
export interface FlaggedSpan {
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

/** 422 with the spans found, never their text. */
export class PersonalDataFoundError extends SamverkanError {
  readonly kind = 'rejected' as const;

  constructor(
    code: 'PERSONAL_DATA.DIRECT_IDENTIFIER' | 'PERSONAL_DATA.CONFIRM',
    readonly spans: readonly FlaggedSpan[],
  ) {
    super(
      code,
      code === 'PERSONAL_DATA.DIRECT_IDENTIFIER'
        ? `${spans.map((s) => s.path).join(', ')} holds a personal identity number; refer to people by a pseudonymous reference`
        : `${spans.map((s) => s.path).join(', ')} may hold a personal identity number (the check digit does not match); remove it, or send again with the header ${CONFIRM_HEADER}: <the paths> if it is something else`,
    );
  }
}

export const CONFIRM_HEADER = 'personal-data-confirmed';
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function* strings(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* strings(item, `${path}[${i}]`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) yield* strings(item, `${path}.${key}`);
  }
}

/**
 * Personal identity numbers in anything a request sends: every field of the body, every query
 * value (the purpose of a read), every path parameter (ids). A number with a valid check digit
 * is refused wherever it is; one written like a number but with a wrong check digit is refused
 * in a write until its author confirms it is not one, and that confirmation is recorded under
 * the request's correlation id. Runs after the access check, so a refusal reveals nothing.
 */
@Injectable()
export class PersonalDataInterceptor implements NestInterceptor {
  constructor(
    @Inject(PERSONAL_DATA_CONFIRMATIONS) private readonly confirmations: PersonalDataConfirmations,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const parts: [string, unknown][] = [
      ['body', request.body],
      ['query', request.query],
      ['params', request.params],
    ];
    const valid: FlaggedSpan[] = [];
    const possible: FlaggedSpan[] = [];
    for (const [part, value] of parts) {
      for (const [path, text] of strings(value, part)) {
        for (const span of findPersonalIdentityNumbers(text)) {
          (span.certainty === 'valid' ? valid : possible).push({
            path,
            start: span.start,
            end: span.end,
          });
        }
      }
    }
    if (valid.length > 0)
      throw new PersonalDataFoundError('PERSONAL_DATA.DIRECT_IDENTIFIER', valid);
    if (possible.length === 0 || !WRITES.has(request.method)) return next.handle();
    const header = request.headers[CONFIRM_HEADER];
    const confirmed = new Set(
      (typeof header === 'string' ? header : '').split(',').map((p) => p.trim()),
    );
    const unconfirmed = possible.filter((s) => !confirmed.has(s.path));
    if (unconfirmed.length > 0)
      throw new PersonalDataFoundError('PERSONAL_DATA.CONFIRM', unconfirmed);
    const actor = request.actor;
    return from(
      this.confirmations.record({
        correlationId: request.correlationId ?? 'unknown',
        caller: actor ? `${actor.agency}:${actor.userId}` : 'anonymous',
        method: request.method,
        route: routeTemplate(request),
        paths: [...new Set(possible.map((s) => s.path))],
      }),
    ).pipe(switchMap(() => next.handle()));
  }
}
