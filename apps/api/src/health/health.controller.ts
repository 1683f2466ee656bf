import { Controller, Get, HttpCode, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { Public } from '../auth/public.decorator';
import { NoRateLimit } from '../auth/rate-limit.guard';
import {
  EVENT_STORE,
  type EventStore,
  type EventStoreStatus,
} from '@samverkan/event-store/event-store.port';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  /** Only for the operator role: the store's adapter, schema version, head position. */
  eventStore?: EventStoreStatus | { ready: false; error: string };
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiOperation({
    summary: 'Readiness: the service and its event store, with the store’s head position',
  })
  @ApiOkResponse({
    description:
      'Ready to serve. Anyone learns up or down; the operator role (a bearer token) also the store’s details',
  })
  @ApiServiceUnavailableResponse({ description: 'The event store cannot be reached' })
  async health(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<HealthReport> {
    const report = await this.report();
    if (report.status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    response.setHeader('Cache-Control', 'no-store');
    // Versions, positions and error texts help an attacker map the service: operators only.
    return request.actor?.role === 'operator' ? report : { status: report.status };
  }

  private async report(): Promise<HealthReport> {
    try {
      const eventStore = await this.store.status();
      return { status: eventStore.ready ? 'ok' : 'unavailable', eventStore };
    } catch (error) {
      return {
        status: 'unavailable',
        eventStore: { ready: false, error: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  @Get('live')
  @NoRateLimit()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
