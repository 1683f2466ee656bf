import { Body, Controller, Inject, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Clock } from '@samverkan/shared/clock';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { CLOCK, commandMeta, newResourceId } from '../commands/request-meta';
import { WriteResult } from '../commands/write-result';
import { ErasePersonalDataDto } from './erasure.dto';
import { ErasePersonalDataMessage, type ErasureResult } from './erasure.command-handler';

@ApiTags('personal data')
@ApiBearerAuth('bearer')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
@Controller('personal-data')
export class ErasureController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('erasures')
  @ApiOperation({
    summary:
      "Erase personal data (a data protection officer): a data subject's, or the free text of selected records. The keys are destroyed; every read, time-travel view, rebuild, export and feed then shows [raderad]; counts stay",
  })
  @ApiCreatedResponse({ type: WriteResult })
  async erase(
    @Req() req: AuthenticatedRequest,
    @Body() body: ErasePersonalDataDto,
  ): Promise<ErasureResult> {
    const meta = commandMeta(req, this.clock);
    const erasureId = body.erasureId ?? newResourceId(req);
    const result = await this.commands.execute<ErasePersonalDataMessage, ErasureResult>(
      new ErasePersonalDataMessage(
        {
          type: 'ErasePersonalData',
          erasureId,
          scope: body.scope,
          eventIds: body.scope === 'records' ? (body.eventIds ?? []) : [],
          ...(body.scope === 'data-subject' ? { subjectRef: body.subjectRef! } : {}),
          reason: body.reason,
          by: meta.actor,
          at: meta.at,
        },
        meta,
      ),
    );
    return { ...result, id: erasureId };
  }
}
