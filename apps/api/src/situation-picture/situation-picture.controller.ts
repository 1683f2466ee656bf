import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { assertMayRead } from '@samverkan/domain/access-policy/access-policy';
import { notFound } from '@samverkan/domain/domain-error';
import type { SituationReportCommand } from '@samverkan/domain/situation-picture/situation-picture.commands';
import { situationPictureDecider } from '@samverkan/domain/situation-picture/situation-picture.decider';
import {
  situationPictureStream,
  situationReportStream,
} from '@samverkan/domain/situation-picture/situation-picture.events';
import {
  situationReportDecider,
  type SituationReportState,
} from '@samverkan/domain/situation-picture/situation-report.decider';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { Clock } from '@samverkan/shared/clock';
import { randomIds } from '@samverkan/shared/ids';
import type { Response } from 'express';
import { ReadAccessLog } from '../access/read-access-log';
import { partnershipId } from '../agencies/partnership.command-handler';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { loadStream } from '../commands/decider-runner';
import { CLOCK, commandMeta } from '../commands/request-meta';
import { WriteResult } from '../commands/write-result';
import { SlugPipe } from '../problems/slug.pipe';
import {
  ConfirmSituationPictureMessage,
  HandleSituationReportCommand,
} from './situation-picture.command-handler';
import {
  ConfirmSituationPictureDto,
  CorrectSituationReportDto,
  ReportSituationDto,
  RetractSituationReportDto,
} from './situation-picture.dto';

type WithoutIssued<T> = T extends unknown ? Omit<T, 'by' | 'at'> : never;

@ApiTags('situation picture')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
@ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream revision' })
@Controller()
export class SituationPictureController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readAccess: ReadAccessLog,
  ) {}

  private send(
    request: AuthenticatedRequest,
    reportId: string,
    command: WithoutIssued<SituationReportCommand>,
    id?: string,
  ): Promise<WriteResult> {
    const meta = commandMeta(request, this.clock);
    const full = {
      ...structuredClone(command),
      by: meta.actor,
      at: meta.at,
    } as SituationReportCommand;
    return this.commands
      .execute<HandleSituationReportCommand, WriteResult>(
        new HandleSituationReportCommand(reportId, full, meta),
      )
      .then((result) => (id ? { ...result, id } : result));
  }

  @Post('situation-reports')
  @ApiOperation({ summary: 'Report an observation to the shared situation picture' })
  @ApiCreatedResponse({ type: WriteResult })
  report(@Req() req: AuthenticatedRequest, @Body() body: ReportSituationDto): Promise<WriteResult> {
    const reportId = body.reportId ?? randomIds.newId();
    return this.send(req, reportId, { type: 'ReportSituation', ...body, reportId }, reportId);
  }

  @Get('situation-reports/:reportId')
  @ApiOperation({
    summary: 'One report; a restricted one only for its reporter and named agencies',
  })
  @ApiQuery({
    name: 'purpose',
    required: false,
    description: 'Required for restricted reports (logged)',
  })
  async read(
    @Req() req: AuthenticatedRequest,
    @Param('reportId', SlugPipe) reportId: string,
    @Query('purpose') purpose: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Exclude<SituationReportState, { status: 'none' }> & { revision: number }> {
    const streamId = situationReportStream(reportId);
    const loaded = await loadStream(this.store, situationReportDecider, streamId);
    const report = loaded.state;
    if (report.status === 'none' || loaded.revision === null) {
      throw notFound('SITUATION.NOT_FOUND', `There is no situation report '${reportId}'`);
    }
    const decision = assertMayRead(req.actor!, {
      kind: 'situation-report',
      reportingAgency: report.reportingAgency,
      sensitivity: report.sensitivity,
      sharedWith: report.sharedWith,
    });
    await this.readAccess.record(
      req.actor!,
      req.correlationId!,
      streamId,
      'situation-report',
      decision,
      purpose,
    );
    res.setHeader('ETag', `"${loaded.revision}"`);
    return { ...report, revision: loaded.revision };
  }

  @Post('situation-reports/:reportId/corrections')
  @ApiOperation({ summary: 'Correct a report (reporting agency), with a reason' })
  @ApiCreatedResponse({ type: WriteResult })
  correct(
    @Req() req: AuthenticatedRequest,
    @Param('reportId', SlugPipe) reportId: string,
    @Body() body: CorrectSituationReportDto,
  ): Promise<WriteResult> {
    return this.send(req, reportId, { type: 'CorrectSituationReport', ...body });
  }

  @Post('situation-reports/:reportId/retraction')
  @ApiOperation({ summary: 'Retract a report (reporting agency), with a reason' })
  @ApiCreatedResponse({ type: WriteResult })
  retract(
    @Req() req: AuthenticatedRequest,
    @Param('reportId', SlugPipe) reportId: string,
    @Body() body: RetractSituationReportDto,
  ): Promise<WriteResult> {
    return this.send(req, reportId, { type: 'RetractSituationReport', ...body });
  }

  @Post('situation-picture/confirmations')
  @ApiOperation({
    summary: 'Confirm the consolidated picture for a period at a partnership meeting',
  })
  @ApiCreatedResponse({ type: WriteResult })
  confirm(
    @Req() req: AuthenticatedRequest,
    @Body() body: ConfirmSituationPictureDto,
  ): Promise<WriteResult> {
    const meta = commandMeta(req, this.clock);
    return this.commands.execute<ConfirmSituationPictureMessage, WriteResult>(
      new ConfirmSituationPictureMessage(
        { type: 'ConfirmSituationPicture', by: meta.actor, at: meta.at, ...structuredClone(body) },
        meta,
      ),
    );
  }

  @Get('situation-picture/confirmations')
  @ApiOperation({ summary: 'The pictures confirmed at partnership meetings' })
  async confirmations(@Req() req: AuthenticatedRequest) {
    assertMayRead(req.actor!, { kind: 'situation-picture' });
    const loaded = await loadStream(
      this.store,
      situationPictureDecider,
      situationPictureStream(partnershipId()),
    );
    return { confirmations: [...loaded.state.confirmations.values()], revision: loaded.revision };
  }
}
