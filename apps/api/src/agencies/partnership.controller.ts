import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertMayRead } from '@samverkan/domain/access-policy/access-policy';
import type { PartnershipCommand } from '@samverkan/domain/agencies/agencies.commands';
import { partnershipStream } from '@samverkan/domain/agencies/agencies.events';
import { partnershipDecider } from '@samverkan/domain/agencies/partnership.decider';
import { notFound } from '@samverkan/domain/domain-error';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { Clock } from '@samverkan/shared/clock';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { loadStream } from '../commands/decider-runner';
import type { WithoutIssued } from '../commands/command-meta';
import { CLOCK, dispatch } from '../commands/request-meta';
import { WriteResult } from '../commands/write-result';
import { HandlePartnershipCommand, partnershipId } from './partnership.command-handler';
import { GrantUserRoleDto, JoinAgencyDto, RevokeUserRoleDto } from './partnership.dto';

@ApiTags('partnership and agencies')
@ApiBearerAuth('bearer')
@Controller('partnership')
export class PartnershipController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private send(
    request: AuthenticatedRequest,
    command: WithoutIssued<PartnershipCommand>,
    id: string = partnershipId(),
  ): Promise<WriteResult> {
    return dispatch(
      this.commands,
      request,
      this.clock,
      command,
      (full, meta) => new HandlePartnershipCommand(id, full, meta),
    );
  }

  @Get()
  @ApiOperation({ summary: 'The partnership, its agencies and its users’ roles' })
  async read(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response) {
    assertMayRead(req.actor!, { kind: 'partnership' });
    const loaded = await loadStream(
      this.store,
      partnershipDecider,
      partnershipStream(partnershipId()),
    );
    const state = loaded.state;
    if (state.status === 'none' || loaded.revision === null) {
      throw notFound('AGENCIES.NOT_FOUND', 'The partnership has not been formed yet');
    }
    res.setHeader('ETag', `"${loaded.revision}"`);
    return {
      partnershipId: state.partnershipId,
      name: state.name,
      municipality: state.municipality,
      policeArea: state.policeArea,
      agencies: [...state.agencies].map(([agency, name]) => ({ agency, name })),
      users: [...state.users].map(([userId, user]) => ({ userId, ...user })),
      revision: loaded.revision,
    };
  }

  @Post('agencies')
  @ApiOperation({ summary: 'An agency joins the partnership' })
  @ApiCreatedResponse({ type: WriteResult })
  join(@Req() req: AuthenticatedRequest, @Body() body: JoinAgencyDto): Promise<WriteResult> {
    return this.send(req, { type: 'JoinAgency', ...body });
  }

  @Post('user-roles')
  @ApiOperation({ summary: 'Grant a user of your agency a role' })
  @ApiCreatedResponse({ type: WriteResult })
  grant(@Req() req: AuthenticatedRequest, @Body() body: GrantUserRoleDto): Promise<WriteResult> {
    return this.send(req, { type: 'GrantUserRole', ...body });
  }

  @Post('user-roles/revocations')
  @ApiOperation({ summary: 'Revoke a role from a user of your agency, with a reason' })
  @ApiCreatedResponse({ type: WriteResult })
  revoke(@Req() req: AuthenticatedRequest, @Body() body: RevokeUserRoleDto): Promise<WriteResult> {
    return this.send(req, { type: 'RevokeUserRole', ...body });
  }
}
