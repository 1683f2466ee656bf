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
import { notFound } from '@samverkan/domain/domain-error';
import type { SafetyWalkCommand } from '@samverkan/domain/safety-walks/safety-walks.commands';
import {
  safetyWalkDecider,
  type FindingState,
  type SafetyWalkState,
} from '@samverkan/domain/safety-walks/safety-walk.decider';
import { safetyWalkStream } from '@samverkan/domain/safety-walks/safety-walks.events';
import {
  creditsInStream,
  type CreditEntry,
} from '@samverkan/domain/citizen-promise/commitment-credit-ledger';
import {
  EVENT_STORE,
  type EventStore,
  type RecordedEvent,
} from '@samverkan/event-store/event-store.port';
import type { Clock } from '@samverkan/shared/clock';
import type { Response } from 'express';
import { ReadAccessLog } from '../access/read-access-log';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { loadStream } from '../commands/decider-runner';
import type { WithoutIssued } from '../commands/command-meta';
import { CLOCK, dispatch, newResourceId } from '../commands/request-meta';
import { WriteResult } from '../commands/write-result';
import { SlugPipe } from '../problems/slug.pipe';
import { HandleSafetyWalkCommand } from './safety-walks.command-handler';
import {
  AddressFindingDto,
  ConductSafetyWalkDto,
  PlanSafetyWalkDto,
  ReassignFindingDto,
} from './safety-walks.dto';

type WalkState = Exclude<SafetyWalkState, { status: 'none' }>;

type WalkDocument = Omit<WalkState, 'findings' | 'credits'> & {
  readonly findings: readonly FindingState[];
  /** The commitments of promises the walk is credited to, standing or withdrawn. */
  readonly credits: readonly CreditEntry[];
  readonly revision: number;
};

function walkDocument(
  walk: WalkState,
  events: readonly RecordedEvent[],
  revision: number,
): WalkDocument {
  const { findings, credits: _credits, ...rest } = walk;
  return {
    ...rest,
    findings: [...findings.values()],
    credits: creditsInStream(events),
    revision,
  };
}

@ApiTags('safety walks')
@ApiBearerAuth('bearer')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
@ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream revision' })
@Controller('safety-walks')
export class SafetyWalksController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readAccess: ReadAccessLog,
  ) {}

  private send(
    request: AuthenticatedRequest,
    walkId: string,
    command: WithoutIssued<SafetyWalkCommand>,
    id?: string,
  ): Promise<WriteResult> {
    return dispatch(
      this.commands,
      request,
      this.clock,
      command,
      (full, meta) => new HandleSafetyWalkCommand(walkId, full, meta),
      id,
    );
  }

  @Post()
  @ApiOperation({ summary: 'Plan a safety walk (police area or municipality)' })
  @ApiCreatedResponse({ type: WriteResult })
  plan(@Req() req: AuthenticatedRequest, @Body() body: PlanSafetyWalkDto): Promise<WriteResult> {
    const walkId = body.walkId ?? newResourceId(req);
    return this.send(req, walkId, { type: 'PlanSafetyWalk', ...body, walkId }, walkId);
  }

  @Get(':walkId')
  @ApiOperation({
    summary: 'The walk, its findings, who is to address each and what was done',
  })
  @ApiQuery({
    name: 'purpose',
    required: false,
    description: 'Why you read it: required only when the read is logged',
  })
  async read(
    @Req() req: AuthenticatedRequest,
    @Param('walkId', SlugPipe) walkId: string,
    @Query('purpose') purpose: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WalkDocument> {
    const streamId = safetyWalkStream(walkId);
    const loaded = await loadStream(this.store, safetyWalkDecider, streamId);
    const walk = loaded.state;
    const decision =
      walk.status === 'none'
        ? undefined
        : mayRead(req.actor!, { kind: 'safety-walk', invitedParties: walk.invitedParties });
    // One answer for "none" and "not yours": a stranger cannot tell a walk exists.
    if (walk.status === 'none' || loaded.revision === null || !decision?.allowed) {
      throw notFound('WALK.NOT_FOUND', `There is no safety walk '${walkId}' you may read`);
    }
    await this.readAccess.record(
      req.actor!,
      req.correlationId!,
      streamId,
      'safety-walk',
      decision,
      purpose,
    );
    res.setHeader('ETag', `"${loaded.revision}"`);
    return walkDocument(walk, loaded.events, loaded.revision);
  }

  @Post(':walkId/conducted')
  @ApiOperation({ summary: 'Record the walk as conducted, with its findings (organiser)' })
  @ApiCreatedResponse({ type: WriteResult })
  conduct(
    @Req() req: AuthenticatedRequest,
    @Param('walkId', SlugPipe) walkId: string,
    @Body() body: ConductSafetyWalkDto,
  ): Promise<WriteResult> {
    return this.send(req, walkId, { type: 'ConductSafetyWalk', ...body });
  }

  @Post(':walkId/findings/:findingId/reassignment')
  @ApiOperation({
    summary: 'Give a finding to another responsible party, with a reason (organiser)',
  })
  @ApiCreatedResponse({ type: WriteResult })
  reassign(
    @Req() req: AuthenticatedRequest,
    @Param('walkId', SlugPipe) walkId: string,
    @Param('findingId', SlugPipe) findingId: string,
    @Body() body: ReassignFindingDto,
  ): Promise<WriteResult> {
    return this.send(req, walkId, { type: 'ReassignFinding', findingId, ...body });
  }

  @Post(':walkId/findings/:findingId/addressed')
  @ApiOperation({ summary: 'Record that the responsible party addressed a finding' })
  @ApiCreatedResponse({ type: WriteResult })
  address(
    @Req() req: AuthenticatedRequest,
    @Param('walkId', SlugPipe) walkId: string,
    @Param('findingId', SlugPipe) findingId: string,
    @Body() body: AddressFindingDto,
  ): Promise<WriteResult> {
    return this.send(req, walkId, { type: 'AddressFinding', findingId, ...body });
  }
}
