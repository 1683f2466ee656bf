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
import {
  assertMayRead,
  mayRead,
  mayReadRetractedContent,
} from '@samverkan/domain/access-policy/access-policy';
import { notFound } from '@samverkan/domain/domain-error';
import type { SituationReportCommand } from '@samverkan/domain/situation-picture/situation-picture.commands';
import { situationPictureDecider } from '@samverkan/domain/situation-picture/situation-picture.decider';
import {
  situationPictureStream,
  situationReportStream,
  type SituationPictureConfirmed,
} from '@samverkan/domain/situation-picture/situation-picture.events';
import {
  situationReportDecider,
  type SituationReportState,
} from '@samverkan/domain/situation-picture/situation-report.decider';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { Clock } from '@samverkan/shared/clock';
import type { Response } from 'express';
import { ReadAccessLog } from '../access/read-access-log';
import { partnershipId } from '../agencies/partnership.command-handler';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { loadStream } from '../commands/decider-runner';
import type { WithoutIssued } from '../commands/command-meta';
import { CLOCK, commandMeta, dispatch, newResourceId } from '../commands/request-meta';
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

type ReportDocument =
  | (Exclude<SituationReportState, { status: 'none' }> & { revision: number })
  | (Omit<Exclude<SituationReportState, { status: 'none' }>, 'description'> & {
      description: null;
      contentWithheld: true;
      revision: number;
    });

/** What the partnership confirmed, meeting by meeting, in the order confirmed. */
interface ConfirmationsDocument {
  readonly partnershipId: string;
  readonly confirmations: readonly SituationPictureConfirmed['data'][];
  /** Null while nothing is confirmed: confirm then without If-Match. */
  readonly revision: number | null;
}

const PURPOSE_QUERY = {
  name: 'purpose',
  required: false,
  description:
    'Why you read it: required when the read is of restricted data, which goes into the read-access log',
} as const;

@ApiTags('situation picture')
@ApiBearerAuth('bearer')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
@ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream revision' })
@Controller('situation-reports')
export class SituationReportsController {
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
    return dispatch(
      this.commands,
      request,
      this.clock,
      command,
      (full, meta) => new HandleSituationReportCommand(reportId, full, meta),
      id,
    );
  }

  @Post()
  @ApiOperation({
    summary: "Report an observation to the situation picture (for the issuer's agency)",
  })
  @ApiCreatedResponse({ type: WriteResult })
  report(@Req() req: AuthenticatedRequest, @Body() body: ReportSituationDto): Promise<WriteResult> {
    const reportId = body.reportId ?? newResourceId(req);
    return this.send(req, reportId, { type: 'ReportSituation', ...body, reportId }, reportId);
  }

  @Get(':reportId')
  @ApiOperation({
    summary:
      'One report: an open one for the partnership, a restricted one for its reporter and the agencies it names (the read is logged)',
  })
  @ApiQuery(PURPOSE_QUERY)
  async read(
    @Req() req: AuthenticatedRequest,
    @Param('reportId', SlugPipe) reportId: string,
    @Query('purpose') purpose: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReportDocument> {
    const streamId = situationReportStream(reportId);
    const loaded = await loadStream(this.store, situationReportDecider, streamId);
    const report = loaded.state;
    const decision =
      report.status === 'none'
        ? undefined
        : mayRead(req.actor!, {
            kind: 'situation-report',
            reportingAgency: report.reportingAgency,
            sensitivity: report.sensitivity,
            sharedWith: report.sharedWith,
          });
    if (report.status !== 'none' && decision && !decision.allowed) {
      await this.readAccess.refused(
        req.actor!,
        req.correlationId!,
        streamId,
        'situation-report',
        report.reportingAgency,
        decision.reason,
      );
    }
    // One answer for "none" and "not yours": a reader outside a restricted report cannot tell
    // that it exists.
    if (report.status === 'none' || loaded.revision === null || !decision?.allowed) {
      throw notFound(
        'SITUATION.NOT_FOUND',
        `There is no situation report '${reportId}' you may read`,
      );
    }
    await this.readAccess.record(
      req.actor!,
      req.correlationId!,
      streamId,
      'situation-report',
      decision,
      purpose,
    );
    res.setHeader('ETag', `"${loaded.revision}"`);
    if (decision.logged) res.setHeader('Cache-Control', 'no-store');
    if (report.status === 'retracted' && !mayReadRetractedContent(req.actor!, report)) {
      // What it said stays with its reporter and the auditors; that it was retracted does not.
      return { ...report, description: null, contentWithheld: true, revision: loaded.revision };
    }
    return { ...report, revision: loaded.revision };
  }

  @Post(':reportId/corrections')
  @ApiOperation({ summary: 'Correct a report, restating it, with a reason (its reporter only)' })
  @ApiCreatedResponse({ type: WriteResult })
  correct(
    @Req() req: AuthenticatedRequest,
    @Param('reportId', SlugPipe) reportId: string,
    @Body() body: CorrectSituationReportDto,
  ): Promise<WriteResult> {
    return this.send(req, reportId, { type: 'CorrectSituationReport', ...body });
  }

  @Post(':reportId/retraction')
  @ApiOperation({ summary: 'Retract a report, with a reason (its reporter only)' })
  @ApiCreatedResponse({ type: WriteResult })
  retract(
    @Req() req: AuthenticatedRequest,
    @Param('reportId', SlugPipe) reportId: string,
    @Body() body: RetractSituationReportDto,
  ): Promise<WriteResult> {
    return this.send(req, reportId, { type: 'RetractSituationReport', ...body });
  }
}

@ApiTags('situation picture')
@ApiBearerAuth('bearer')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
@ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream revision' })
@Controller('situation-picture')
export class SituationPictureController {
  /** The partnership this deployment serves, read once at start. */
  private readonly partnershipId: string;

  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readAccess: ReadAccessLog,
  ) {
    this.partnershipId = partnershipId();
  }

  @Post('confirmations')
  @ApiOperation({
    summary:
      'Confirm the consolidated picture for a period at a partnership meeting (police area or municipality)',
  })
  @ApiCreatedResponse({ type: WriteResult })
  confirm(
    @Req() req: AuthenticatedRequest,
    @Body() body: ConfirmSituationPictureDto,
  ): Promise<WriteResult> {
    const meta = commandMeta(req, this.clock);
    const command = {
      type: 'ConfirmSituationPicture' as const,
      ...structuredClone(body),
      by: meta.actor,
      at: meta.at,
    };
    return this.commands
      .execute<ConfirmSituationPictureMessage, WriteResult>(
        new ConfirmSituationPictureMessage(command, meta),
      )
      .then((result) => ({ ...result, id: body.confirmationId }));
  }

  @Get('confirmations')
  @ApiOperation({ summary: 'The pictures confirmed at partnership meetings, in order' })
  @ApiQuery(PURPOSE_QUERY)
  async confirmations(
    @Req() req: AuthenticatedRequest,
    @Query('purpose') purpose: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConfirmationsDocument> {
    const decision = assertMayRead(req.actor!, { kind: 'situation-picture' });
    const streamId = situationPictureStream(this.partnershipId);
    const loaded = await loadStream(this.store, situationPictureDecider, streamId);
    await this.readAccess.record(
      req.actor!,
      req.correlationId!,
      streamId,
      'situation-picture',
      decision,
      purpose,
    );
    if (loaded.revision !== null) res.setHeader('ETag', `"${loaded.revision}"`);
    return {
      partnershipId: this.partnershipId,
      confirmations: loaded.events
        .filter((e) => e.type === 'SituationPictureConfirmed')
        .map((e) => e.data as unknown as SituationPictureConfirmed['data']),
      revision: loaded.revision,
    };
  }
}
