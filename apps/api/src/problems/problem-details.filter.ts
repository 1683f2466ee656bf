import {
  Catch,
  Inject,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { DomainError } from '@samverkan/domain/domain-error';
import {
  SECURITY_LOG,
  type SecurityLog,
  type SecurityLogKind,
} from '@samverkan/event-store/security-log.port';
import { ConcurrencyError } from '@samverkan/event-store/event-store.errors';
import {
  InvalidInputError,
  RateLimitedError,
  SamverkanError,
  type ErrorKind,
} from '@samverkan/shared/errors';
import type { Request, Response } from 'express';
import { ClientAddresses } from '../auth/rate-limit.guard';
import { NotYetApplied } from '../projections/read-your-writes';
import { PersonalDataFoundError } from './personal-data.interceptor';
import { routeTemplate } from './route-template';

/** An RFC 9457 problem details body, with the stable code and, where useful, more members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: readonly { path: string; reason: string }[];
  /** Where a personal identity number was found (never the text itself). */
  spans?: readonly { path: string; start: number; end: number }[];
  currentRevision?: number | null;
  expectedRevision?: number | string;
}

const STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid_input: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  concurrency: HttpStatus.CONFLICT,
  conflict: HttpStatus.CONFLICT,
  rejected: HttpStatus.UNPROCESSABLE_ENTITY,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
};

const TITLE: Readonly<Record<ErrorKind, string>> = {
  invalid_input: 'The request is not valid; nothing was stored',
  unauthenticated: 'Credentials are missing or not valid',
  forbidden: 'Your agency or role may not do this',
  not_found: 'Not found',
  concurrency: 'The stream changed since you read it; nothing was stored',
  conflict: 'The current state does not allow this',
  rejected: 'The command breaks a rule of the partnership; nothing was stored',
  unavailable: 'The service cannot reach its store',
  rate_limited: 'Too many requests; wait and try again',
};

export const problemType = (code: string): string => `urn:samverkan:problem:${code}`;

/**
 * Every error leaves the API in one shape (application/problem+json), mapped here once from
 * the error's meaning. Unknown errors are logged with their stack and answered 500 without
 * detail, so nothing internal leaks.
 */
/** What the security log keeps of a refusal, by status. */
const SECURITY_KINDS: Readonly<Partial<Record<number, SecurityLogKind>>> = {
  401: 'authentication-failed',
  403: 'refused',
  429: 'rate-limited',
};

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  constructor(
    @Inject(SECURITY_LOG) private readonly securityLog: SecurityLog,
    private readonly addresses: ClientAddresses,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request);
    if (problem.status >= 500) {
      this.logger.error(
        // The route's template, never the URL: a query can carry a code or a state.
        `${request.method} ${routeTemplate(request)} failed`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="samverkan"');
    // Too many requests, or a read model not there yet: when to ask again.
    if (exception instanceof RateLimitedError || exception instanceof NotYetApplied) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    response.status(problem.status).type('application/problem+json').json(problem);
    const kind = SECURITY_KINDS[problem.status];
    if (kind) this.logRefusal(kind, problem, request);
  }

  /**
   * Failed sign-ins and refusals go to the security log: the route's template and the code,
   * the caller when known, the client address's daily digest; never a credential or a body.
   */
  private logRefusal(kind: SecurityLogKind, problem: ProblemDetails, request: Request): void {
    const actor = (request as Request & { actor?: { agency: string; userId: string } }).actor;
    this.securityLog
      .record({
        kind,
        status: problem.status,
        code: problem.code,
        method: request.method,
        route: routeTemplate(request),
        caller: actor ? `${actor.agency}:${actor.userId}` : null,
        address: this.addresses.digest(request),
      })
      .catch((error: unknown) =>
        this.logger.warn(
          `The security log did not take a ${kind} entry: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }

  private toProblem(exception: unknown, request: Request): ProblemDetails {
    const instance = request.originalUrl;
    if (exception instanceof SamverkanError) {
      const status = STATUS[exception.kind];
      const problem: ProblemDetails = {
        type: problemType(exception.code),
        title: TITLE[exception.kind],
        status,
        detail: exception.message,
        instance,
        code: exception.code,
      };
      if (exception instanceof InvalidInputError) problem.errors = exception.fields;
      if (exception instanceof PersonalDataFoundError) {
        problem.spans = exception.spans;
        // The URL may be where the number is: the answer names the route, not the path.
        problem.instance = routeTemplate(request);
      }
      if (exception instanceof ConcurrencyError) {
        problem.currentRevision = exception.actualRevision;
        problem.expectedRevision = exception.expectedRevision;
      }
      if (exception instanceof DomainError && status >= 500) problem.detail = 'Internal error';
      return problem;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = `HTTP.${HttpStatus[status] ?? status}`;
      return {
        type: problemType(code),
        title: exception.message,
        status,
        detail: httpDetail(exception),
        instance,
        code,
      };
    }
    return {
      type: problemType('INTERNAL'),
      title: 'Internal error',
      status: 500,
      detail: 'The request failed on our side; it is logged',
      instance,
      code: 'INTERNAL',
    };
  }
}

function httpDetail(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
