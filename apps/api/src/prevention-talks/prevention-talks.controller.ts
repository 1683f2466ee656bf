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
import { mayRead } from '@samverkan/domain/access-policy/access-policy';
import {
  creditsInStream,
  type CreditEntry,
} from '@samverkan/domain/citizen-promise/commitment-credit-ledger';
import { notFound } from '@samverkan/domain/domain-error';
import type { PreventionTalkCommand } from '@samverkan/domain/prevention-talks/prevention-talks.commands';
import {
  preventionTalkDecider,
  talkReaders,
  type PreventionTalkState,
} from '@samverkan/domain/prevention-talks/prevention-talk.decider';
import {
  LEGAL_GROUND_TEXT,
  preventionTalkStream,
} from '@samverkan/domain/prevention-talks/prevention-talks.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { Clock } from '@samverkan/shared/clock';
import type { Response } from 'express';
import { ReadAccessLog } from '../access/read-access-log';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { loadStream } from '../commands/decider-runner';
import type { WithoutIssued } from '../commands/command-meta';
import { CLOCK, dispatch, newResourceId } from '../commands/request-meta';
import { WriteResult } from '../commands/write-result';
import { SlugPipe } from '../problems/slug.pipe';
import { HandlePreventionTalkCommand } from './prevention-talks.command-handler';
import {
  ChangeTalkParticipantsDto,
  FollowUpTalkDto,
  PlanPreventionTalkDto,
  RecordConsentDto,
  RecordTalkHeldDto,
  WithdrawConsentDto,
} from './prevention-talks.dto';

@ApiTags('prevention talks (SSPF)')
@ApiBearerAuth('bearer')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
@ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream revision' })
@Controller('prevention-talks')
export class PreventionTalksController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readAccess: ReadAccessLog,
  ) {}

  private send(
    request: AuthenticatedRequest,
    talkId: string,
    command: WithoutIssued<PreventionTalkCommand>,
    id?: string,
  ): Promise<WriteResult> {
    return dispatch(
      this.commands,
      request,
      this.clock,
      command,
      (full, meta) => new HandlePreventionTalkCommand(talkId, full, meta),
      id,
    );
  }

  @Post()
  @ApiOperation({ summary: 'Plan a joint preventive talk (police or social services)' })
  @ApiCreatedResponse({ type: WriteResult })
  plan(
    @Req() req: AuthenticatedRequest,
    @Body() body: PlanPreventionTalkDto,
  ): Promise<WriteResult> {
    const talkId = body.talkId ?? newResourceId(req);
    return this.send(req, talkId, { type: 'PlanPreventionTalk', ...body, talkId }, talkId);
  }

  @Get(':talkId')
  @ApiOperation({
    summary:
      'The talk and the legal ground it rests on, for the agencies and roles that take part; the read is logged with the ground',
  })
  @ApiQuery({ name: 'purpose', required: true, description: 'Why you read it (logged)' })
  async read(
    @Req() req: AuthenticatedRequest,
    @Param('talkId', SlugPipe) talkId: string,
    @Query('purpose') purpose: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<
    Omit<Exclude<PreventionTalkState, { status: 'none' }>, 'credits'> & {
      credits: CreditEntry[];
      revision: number;
    }
  > {
    const streamId = preventionTalkStream(talkId);
    const loaded = await loadStream(this.store, preventionTalkDecider, streamId);
    const talk = loaded.state;
    const decision =
      talk.status === 'none'
        ? undefined
        : mayRead(req.actor!, { kind: 'prevention-talk', participants: talkReaders(talk) });
    if (decision && !decision.allowed) {
      await this.readAccess.refused(
        req.actor!,
        req.correlationId!,
        streamId,
        'prevention-talk',
        loaded.events[0]!.actor.agency,
        decision.reason,
      );
    }
    // One answer for "none" and "not yours": an outsider cannot tell that a talk exists.
    if (talk.status === 'none' || loaded.revision === null || !decision?.allowed) {
      throw notFound('TALK.NOT_FOUND', `There is no prevention talk '${talkId}' you may read`);
    }
    await this.readAccess.record(
      req.actor!,
      req.correlationId!,
      streamId,
      'prevention-talk',
      decision,
      purpose,
      LEGAL_GROUND_TEXT[talk.legalGround.basis],
    );
    res.setHeader('ETag', `"${loaded.revision}"`);
    res.setHeader('Cache-Control', 'no-store');
    const { credits: _credits, ...rest } = talk;
    return {
      ...rest,
      credits: creditsInStream(loaded.events),
      revision: loaded.revision,
    };
  }

  @Post(':talkId/participants')
  @ApiOperation({
    summary:
      'Change who takes part before the talk is held (a participant agency; the new list replaces the old)',
  })
  @ApiCreatedResponse({ type: WriteResult })
  changeParticipants(
    @Req() req: AuthenticatedRequest,
    @Param('talkId', SlugPipe) talkId: string,
    @Body() body: ChangeTalkParticipantsDto,
  ): Promise<WriteResult> {
    return this.send(req, talkId, { type: 'ChangeTalkParticipants', ...body });
  }

  @Post(':talkId/consent')
  @ApiOperation({ summary: 'Record written consent (guardians; the young person too from 15)' })
  @ApiCreatedResponse({ type: WriteResult })
  recordConsent(
    @Req() req: AuthenticatedRequest,
    @Param('talkId', SlugPipe) talkId: string,
    @Body() body: RecordConsentDto,
  ): Promise<WriteResult> {
    return this.send(req, talkId, { type: 'RecordConsent', ...body });
  }

  @Post(':talkId/consent/withdrawal')
  @ApiOperation({ summary: 'Record that consent was withdrawn' })
  @ApiCreatedResponse({ type: WriteResult })
  withdrawConsent(
    @Req() req: AuthenticatedRequest,
    @Param('talkId', SlugPipe) talkId: string,
    @Body() body: WithdrawConsentDto,
  ): Promise<WriteResult> {
    return this.send(req, talkId, { type: 'WithdrawConsent', ...body });
  }

  @Post(':talkId/held')
  @ApiOperation({ summary: 'Record the talk as held: who took part, outcome, agreed follow-up' })
  @ApiCreatedResponse({ type: WriteResult })
  held(
    @Req() req: AuthenticatedRequest,
    @Param('talkId', SlugPipe) talkId: string,
    @Body() body: RecordTalkHeldDto,
  ): Promise<WriteResult> {
    return this.send(req, talkId, { type: 'RecordTalkHeld', ...body });
  }

  @Post(':talkId/follow-ups')
  @ApiOperation({ summary: 'Record a follow-up of the talk; `closed` ends it' })
  @ApiCreatedResponse({ type: WriteResult })
  followUp(
    @Req() req: AuthenticatedRequest,
    @Param('talkId', SlugPipe) talkId: string,
    @Body() body: FollowUpTalkDto,
  ): Promise<WriteResult> {
    return this.send(req, talkId, { type: 'FollowUpTalk', ...body });
  }
}
