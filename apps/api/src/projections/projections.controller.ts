import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { ProjectionRunner } from '@samverkan/projections/projection-runner';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';

@ApiTags('projections')
@ApiBearerAuth('bearer')
@Controller('projections')
export class ProjectionsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    private readonly daemon: ProjectionDaemon,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Each projection’s position, lag behind the log and state' })
  async list(@Req() req: AuthenticatedRequest) {
    // A handler's error can quote an event's data: its text is for auditors and the DPO.
    const role = req.actor?.role;
    const mayReadErrors = role === 'auditor' || role === 'data-protection-officer';
    const head = (await this.store.status()).headPosition;
    return Promise.all(
      this.daemon.projections.map(async (p) => {
        const status = await this.runner.status(p.name);
        const outcome = this.daemon.outcome(p.name);
        return {
          ...status,
          error: status.error === null || mayReadErrors ? status.error : 'withheld',
          // Built by another version of the projection than this code's: rebuild it.
          rebuildNeeded: status.version !== null && status.version !== p.version,
          headPosition: head,
          lag: Math.max(0, head - status.position),
          leader: outcome === undefined ? null : outcome.kind !== 'not_leader',
        };
      }),
    );
  }
}
