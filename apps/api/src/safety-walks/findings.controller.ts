import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { mayRead } from '@samverkan/domain/access-policy/access-policy';
import { notFound } from '@samverkan/domain/domain-error';
import {
  findingDecider,
  findingResource,
  type ReportedFindingState,
} from '@samverkan/domain/safety-walks/finding.decider';
import type { FindingCommand } from '@samverkan/domain/safety-walks/safety-walks.commands';
import { findingStream } from '@samverkan/domain/safety-walks/safety-walks.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { Clock } from '@samverkan/shared/clock';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { loadStream } from '../commands/decider-runner';
import type { WithoutIssued } from '../commands/command-meta';
import { CLOCK, dispatch, newResourceId } from '../commands/request-meta';
import { WriteResult } from '../commands/write-result';
import { SlugPipe } from '../problems/slug.pipe';
import { HandleFindingCommand } from './safety-walks.command-handler';
import { AddressFindingDto, ReassignFindingDto, ReportFindingDto } from './safety-walks.dto';

/**
 * Findings reported outside a walk: a partner or a housing company saw something at a place,
 * names who is to put it right, and the loop is closed when it is addressed.
 */
@ApiTags('safety walks')
@ApiBearerAuth('bearer')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
@ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream revision' })
@Controller('findings')
export class FindingsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private send(
    request: AuthenticatedRequest,
    findingId: string,
    command: WithoutIssued<FindingCommand>,
    id?: string,
  ): Promise<WriteResult> {
    return dispatch(
      this.commands,
      request,
      this.clock,
      command,
      (full, meta) => new HandleFindingCommand(findingId, full, meta),
      id,
    );
  }

  @Post()
  @ApiOperation({
    summary:
      'Report a finding outside a walk (partners and housing companies): the place, what makes it feel unsafe, who is to put it right',
  })
  @ApiCreatedResponse({ type: WriteResult })
  report(@Req() req: AuthenticatedRequest, @Body() body: ReportFindingDto): Promise<WriteResult> {
    const findingId = body.findingId ?? newResourceId(req);
    return this.send(req, findingId, { type: 'ReportFinding', ...body, findingId }, findingId);
  }

  @Get(':findingId')
  @ApiOperation({ summary: 'A finding reported outside a walk, and what became of it' })
  async read(
    @Req() req: AuthenticatedRequest,
    @Param('findingId', SlugPipe) findingId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Exclude<ReportedFindingState, { status: 'none' }> & { revision: number }> {
    const loaded = await loadStream(this.store, findingDecider, findingStream(findingId));
    const finding = loaded.state;
    // One answer for "none" and "not yours": a stranger cannot tell a finding exists.
    if (
      finding.status === 'none' ||
      loaded.revision === null ||
      !mayRead(req.actor!, findingResource(finding)).allowed
    ) {
      throw notFound('FINDING.NOT_FOUND', `There is no finding '${findingId}' you may read`);
    }
    res.setHeader('ETag', `"${loaded.revision}"`);
    return { ...finding, revision: loaded.revision };
  }

  @Post(':findingId/reassignment')
  @ApiOperation({ summary: 'Give the finding to another responsible party, with a reason' })
  @ApiCreatedResponse({ type: WriteResult })
  reassign(
    @Req() req: AuthenticatedRequest,
    @Param('findingId', SlugPipe) findingId: string,
    @Body() body: ReassignFindingDto,
  ): Promise<WriteResult> {
    return this.send(req, findingId, { type: 'ReassignFinding', findingId, ...body });
  }

  @Post(':findingId/addressed')
  @ApiOperation({ summary: 'Record that the responsible party addressed the finding' })
  @ApiCreatedResponse({ type: WriteResult })
  address(
    @Req() req: AuthenticatedRequest,
    @Param('findingId', SlugPipe) findingId: string,
    @Body() body: AddressFindingDto,
  ): Promise<WriteResult> {
    return this.send(req, findingId, { type: 'AddressFinding', findingId, ...body });
  }
}
