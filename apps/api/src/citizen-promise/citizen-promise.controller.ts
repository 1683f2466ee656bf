import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiQuery,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { assertMayRead } from '@samverkan/domain/access-policy/access-policy';
import type { Actor } from '@samverkan/domain/actor';
import type { CitizenPromiseCommand } from '@samverkan/domain/citizen-promise/citizen-promise.commands';
import { citizenPromiseDecider } from '@samverkan/domain/citizen-promise/citizen-promise.decider';
import {
  citizenPromiseStream,
  type CitizenPromiseEvent,
} from '@samverkan/domain/citizen-promise/citizen-promise.events';
import {
  foldPromiseDocument,
  type PromiseDocument,
} from '@samverkan/domain/citizen-promise/citizen-promise.view';
import { notFound } from '@samverkan/domain/domain-error';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { Clock } from '@samverkan/shared/clock';
import type { Response } from 'express';
import { CurrentActor, type AuthenticatedRequest } from '../auth/current-actor.decorator';
import { loadStream } from '../commands/decider-runner';
import type { WithoutIssued } from '../commands/command-meta';
import { CLOCK, commandMeta, dispatch, newResourceId } from '../commands/request-meta';
import { WriteResult } from '../commands/write-result';
import { SlugPipe } from '../problems/slug.pipe';
import { AS_OF_DESCRIPTION, asOfFilter } from '../projections/as-of';
import { HandleCitizenPromiseCommand } from './citizen-promise.command-handler';
import { CreditWorkMessage } from './credits.command-handler';
import {
  CreditWorkDto,
  WithdrawCreditDto,
  CorrectActivityDto,
  DraftPromiseDto,
  RecordActivityDto,
  ReportFollowUpDto,
  RevisePromiseDto,
  ScheduleFollowUpDto,
  SignPromiseDto,
  WithdrawActivityDto,
} from './citizen-promise.dto';

@ApiTags('citizen promises')
@ApiBearerAuth('bearer')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
@ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream revision' })
@Controller('promises')
export class CitizenPromiseController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private send(
    request: AuthenticatedRequest,
    promiseId: string,
    command: WithoutIssued<CitizenPromiseCommand>,
    id?: string,
  ): Promise<WriteResult> {
    return dispatch(
      this.commands,
      request,
      this.clock,
      command,
      (full, meta) => new HandleCitizenPromiseCommand(promiseId, full, meta),
      id,
    );
  }

  @Post()
  @ApiOperation({ summary: 'Draft a citizen promise (police area or municipality)' })
  @ApiCreatedResponse({ type: WriteResult })
  draft(@Req() req: AuthenticatedRequest, @Body() body: DraftPromiseDto): Promise<WriteResult> {
    return this.send(req, body.promiseId, { type: 'DraftPromise', ...body }, body.promiseId);
  }

  @Get(':promiseId')
  @ApiOperation({ summary: 'The promise with its commitments, signatures and activities' })
  @ApiQuery({
    name: 'asOf',
    required: false,
    description: AS_OF_DESCRIPTION,
  })
  async read(
    @CurrentActor() actor: Actor,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Res({ passthrough: true }) res: Response,
    @Query('asOf') asOf?: string,
  ): Promise<PromiseDocument & { revision: number; asOf?: string }> {
    assertMayRead(actor, { kind: 'citizen-promise' });
    const known = asOfFilter(asOf);
    const loaded = await loadStream(
      this.store,
      citizenPromiseDecider,
      citizenPromiseStream(promiseId),
    );
    const events = loaded.events.filter(known);
    const doc = foldPromiseDocument(
      events.map((e) => ({ type: e.type, data: e.data }) as unknown as CitizenPromiseEvent),
    );
    const last = events[events.length - 1];
    if (!doc || !last) {
      throw notFound(
        'PROMISE.NOT_FOUND',
        `There is no promise '${promiseId}'${asOf ? ` as of ${asOf}` : ''}`,
      );
    }
    if (asOf === undefined) res.setHeader('ETag', `"${last.revision}"`);
    return { ...doc, revision: last.revision, ...(asOf !== undefined ? { asOf } : {}) };
  }

  @Post(':promiseId/signatures')
  @ApiOperation({ summary: 'Record a signatory’s signature (by the signatory’s agency)' })
  @ApiCreatedResponse({ type: WriteResult })
  sign(
    @Req() req: AuthenticatedRequest,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Body() body: SignPromiseDto,
  ): Promise<WriteResult> {
    return this.send(req, promiseId, { type: 'SignPromise', ...body });
  }

  @Post(':promiseId/revisions')
  @ApiOperation({ summary: 'Revise the promise with a reason' })
  @ApiCreatedResponse({ type: WriteResult })
  revise(
    @Req() req: AuthenticatedRequest,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Body() body: RevisePromiseDto,
  ): Promise<WriteResult> {
    return this.send(req, promiseId, { type: 'RevisePromise', ...body });
  }

  @Post(':promiseId/follow-ups')
  @ApiOperation({ summary: 'Schedule a follow-up (e.g. to the municipal board)' })
  @ApiCreatedResponse({ type: WriteResult })
  scheduleFollowUp(
    @Req() req: AuthenticatedRequest,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Body() body: ScheduleFollowUpDto,
  ): Promise<WriteResult> {
    return this.send(req, promiseId, { type: 'ScheduleFollowUp', ...body }, body.followUpId);
  }

  @Post(':promiseId/follow-ups/:followUpId/report')
  @ApiOperation({ summary: 'Report a scheduled follow-up' })
  @ApiCreatedResponse({ type: WriteResult })
  reportFollowUp(
    @Req() req: AuthenticatedRequest,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Param('followUpId', SlugPipe) followUpId: string,
    @Body() body: ReportFollowUpDto,
  ): Promise<WriteResult> {
    return this.send(req, promiseId, { type: 'ReportFollowUp', followUpId, ...body });
  }

  @Post(':promiseId/activities')
  @ApiOperation({ summary: 'Record an activity done under a commitment (by its owner)' })
  @ApiCreatedResponse({ type: WriteResult })
  recordActivity(
    @Req() req: AuthenticatedRequest,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Body() body: RecordActivityDto,
  ): Promise<WriteResult> {
    const activityId = body.activityId ?? newResourceId(req);
    return this.send(req, promiseId, { type: 'RecordActivity', ...body, activityId }, activityId);
  }

  @Post(':promiseId/activities/:activityId/corrections')
  @ApiOperation({ summary: 'Correct an activity, with a reason' })
  @ApiCreatedResponse({ type: WriteResult })
  correctActivity(
    @Req() req: AuthenticatedRequest,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Param('activityId', SlugPipe) activityId: string,
    @Body() body: CorrectActivityDto,
  ): Promise<WriteResult> {
    return this.send(req, promiseId, { type: 'CorrectActivity', activityId, ...body });
  }

  @Post(':promiseId/credits')
  @ApiOperation({
    summary:
      'Credit work done elsewhere (a conducted safety walk, a held prevention talk, a confirmed situation picture, an activity under another commitment) to a commitment it fulfils; it counts on the day the work was done',
  })
  @ApiCreatedResponse({ type: WriteResult })
  credit(
    @Req() req: AuthenticatedRequest,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Body() body: CreditWorkDto,
  ): Promise<WriteResult> {
    return this.sendCredit(req, promiseId, body, null);
  }

  @Post(':promiseId/credits/withdrawal')
  @ApiOperation({ summary: 'Withdraw a credit, with a reason: the work no longer counts there' })
  @ApiCreatedResponse({ type: WriteResult })
  withdrawCredit(
    @Req() req: AuthenticatedRequest,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Body() body: WithdrawCreditDto,
  ): Promise<WriteResult> {
    return this.sendCredit(req, promiseId, body, body.reason);
  }

  private sendCredit(
    req: AuthenticatedRequest,
    promiseId: string,
    body: CreditWorkDto,
    reason: string | null,
  ): Promise<WriteResult> {
    const meta = commandMeta(req, this.clock);
    return this.commands.execute<CreditWorkMessage, WriteResult>(
      new CreditWorkMessage(
        promiseId,
        body.commitmentId,
        { kind: body.work.kind, workId: body.work.workId },
        reason,
        meta,
      ),
    );
  }

  @Post(':promiseId/activities/:activityId/withdrawal')
  @ApiOperation({ summary: 'Withdraw an activity, with a reason' })
  @ApiCreatedResponse({ type: WriteResult })
  withdrawActivity(
    @Req() req: AuthenticatedRequest,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Param('activityId', SlugPipe) activityId: string,
    @Body() body: WithdrawActivityDto,
  ): Promise<WriteResult> {
    return this.send(req, promiseId, { type: 'WithdrawActivity', activityId, ...body });
  }
}
