import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { assertMayRead } from '@samverkan/domain/access-policy/access-policy';
import { notFound } from '@samverkan/domain/domain-error';
import type { SafetyWalkCommand } from '@samverkan/domain/safety-walks/safety-walks.commands';
import { safetyWalkDecider } from '@samverkan/domain/safety-walks/safety-walk.decider';
import { safetyWalkStream } from '@samverkan/domain/safety-walks/safety-walks.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { Clock } from '@samverkan/shared/clock';
import { randomIds } from '@samverkan/shared/ids';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { loadStream } from '../commands/decider-runner';
import { CLOCK, commandMeta } from '../commands/request-meta';
import { WriteResult } from '../commands/write-result';
import { SlugPipe } from '../problems/slug.pipe';
import { HandleSafetyWalkCommand } from './safety-walks.command-handler';
import {
  AddressFindingDto,
  ConductSafetyWalkDto,
  PlanSafetyWalkDto,
  ReassignFindingDto,
} from './safety-walks.dto';

type WithoutIssued<T> = T extends unknown ? Omit<T, 'by' | 'at'> : never;

@ApiTags('safety walks')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
@ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream revision' })
@Controller('safety-walks')
export class SafetyWalksController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private send(
    request: AuthenticatedRequest,
    walkId: string,
    command: WithoutIssued<SafetyWalkCommand>,
    id?: string,
  ): Promise<WriteResult> {
    const meta = commandMeta(request, this.clock);
    const full = { ...structuredClone(command), by: meta.actor, at: meta.at } as SafetyWalkCommand;
    return this.commands
      .execute<HandleSafetyWalkCommand, WriteResult>(
        new HandleSafetyWalkCommand(walkId, full, meta),
      )
      .then((result) => (id ? { ...result, id } : result));
  }

  @Post()
  @ApiOperation({ summary: 'Plan a safety walk (police area or municipality)' })
  @ApiCreatedResponse({ type: WriteResult })
  plan(@Req() req: AuthenticatedRequest, @Body() body: PlanSafetyWalkDto): Promise<WriteResult> {
    const walkId = body.walkId ?? randomIds.newId();
    return this.send(req, walkId, { type: 'PlanSafetyWalk', ...body, walkId }, walkId);
  }

  @Get(':walkId')
  @ApiOperation({ summary: 'The walk, its findings and whether each was addressed' })
  async read(
    @Req() req: AuthenticatedRequest,
    @Param('walkId', SlugPipe) walkId: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const loaded = await loadStream(this.store, safetyWalkDecider, safetyWalkStream(walkId));
    const walk = loaded.state;
    if (walk.status === 'none' || loaded.revision === null) {
      throw notFound('WALK.NOT_FOUND', `There is no safety walk '${walkId}'`);
    }
    assertMayRead(req.actor!, { kind: 'safety-walk', invitedParties: walk.invitedParties });
    res.setHeader('ETag', `"${loaded.revision}"`);
    return { ...walk, findings: [...walk.findings.values()], revision: loaded.revision };
  }

  @Post(':walkId/conducted')
  @ApiOperation({ summary: 'Record the walk as conducted, with its findings' })
  @ApiCreatedResponse({ type: WriteResult })
  conduct(
    @Req() req: AuthenticatedRequest,
    @Param('walkId', SlugPipe) walkId: string,
    @Body() body: ConductSafetyWalkDto,
  ): Promise<WriteResult> {
    return this.send(req, walkId, { type: 'ConductSafetyWalk', ...body });
  }

  @Post(':walkId/findings/:findingId/reassignment')
  @ApiOperation({ summary: 'Give a finding to another responsible party, with a reason' })
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
