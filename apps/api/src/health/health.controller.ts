import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Logger,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { readinessOf, ReadinessLog, type Readiness } from '@samverkan/shared/health/readiness';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { Public } from '../auth/public.decorator';
import { NoRateLimit } from '../auth/rate-limit.guard';
import { GracefulShutdown } from './graceful-shutdown';
import { READINESS_CHECKS } from './readiness-checks';

/** Anyone: up or down. The operator role: also each check's state, details and error text. */
export interface ReadinessReport {
  readonly status: Readiness;
  readonly [check: string]: unknown;
}

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  private readonly log = new ReadinessLog(new Logger('Readiness'));

  constructor(
    private readonly health: HealthCheckService,
    private readonly shutdown: GracefulShutdown,
    @Inject(READINESS_CHECKS) private readonly checks: readonly HealthIndicatorFunction[],
  ) {}

  @Get('ready')
  @NoRateLimit()
  @ApiOperation({
    summary:
      'Readiness: the event store, the read-model database and, when this process relays, Kafka can be reached',
  })
  @ApiOkResponse({
    description:
      'Ready to serve. Anyone learns up or down; the operator role (a bearer token) also each check: the store’s head position, each projection’s position and lag, the relay’s state',
  })
  @ApiServiceUnavailableResponse({
    description: 'A dependency cannot be reached (within 3 s), or the process is shutting down',
  })
  ready(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReadinessReport> {
    return this.report(request, response);
  }

  @Get('health')
  @NoRateLimit()
  @ApiOperation({ summary: 'Readiness, as GET /ready (the older name, kept)' })
  @ApiOkResponse({ description: 'As GET /ready' })
  @ApiServiceUnavailableResponse({ description: 'As GET /ready' })
  healthAlias(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReadinessReport> {
    return this.report(request, response);
  }

  @Get('health/live')
  @NoRateLimit()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency is asked)' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  private async report(
    request: AuthenticatedRequest,
    response: Response,
  ): Promise<ReadinessReport> {
    response.setHeader('Cache-Control', 'no-store');
    // Stopping: say so at once, so a load balancer stops sending before the listener closes.
    const result: HealthCheckResult = this.shutdown.stopping
      ? { status: 'shutting_down', details: {} }
      : await this.check();
    this.log.note(result);
    const status = readinessOf(result);
    if (status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    // Versions, positions and error texts help an attacker map the service: operators only.
    return request.actor?.role === 'operator' ? { status, ...result.details } : { status };
  }

  /** Terminus answers a failed check by throwing 503 with the result; here it is the answer. */
  private async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([...this.checks]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        return error.getResponse() as HealthCheckResult;
      }
      throw error;
    }
  }
}
