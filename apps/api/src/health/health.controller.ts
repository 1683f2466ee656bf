import { Controller, Get, HttpCode, HttpStatus, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import {
  EVENT_STORE,
  type EventStore,
  type EventStoreStatus,
} from '@samverkan/event-store/event-store.port';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  eventStore: EventStoreStatus | { ready: false; error: string };
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
  @ApiOkResponse({ description: 'Ready to serve' })
  @ApiServiceUnavailableResponse({ description: 'The event store cannot be reached' })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    try {
      const eventStore = await this.store.status();
      if (!eventStore.ready) response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: eventStore.ready ? 'ok' : 'unavailable', eventStore };
    } catch (error) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return {
        status: 'unavailable',
        eventStore: { ready: false, error: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  @Get('live')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
