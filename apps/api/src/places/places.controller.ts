import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
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
import type { RegisteredPlace } from '@samverkan/domain/places/places-register.decider';
import type { PlacesCommand } from '@samverkan/domain/places/places.commands';
import { PLACE_KINDS } from '@samverkan/domain/places/places.events';
import type { Clock } from '@samverkan/shared/clock';
import { InvalidInputError } from '@samverkan/shared/errors';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import type { WithoutIssued } from '../commands/command-meta';
import { CLOCK, dispatch } from '../commands/request-meta';
import { WriteResult } from '../commands/write-result';
import { pageOf, pageRequest, type Page } from '../lists/paging';
import { SlugPipe } from '../problems/slug.pipe';
import { HandlePlacesCommand } from './places.command-handler';
import { ChangePlaceDto, RegisterPlaceDto } from './places.dto';
import { PlacesRegister } from './places-register';

/** A place id made from its name when the coordinator gives none: "Mörmoskolan" → mormoskolan. */
export function placeIdFromName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

@ApiTags('places register')
@ApiBearerAuth('bearer')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
@Controller('places')
export class PlacesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly register: PlacesRegister,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private send(
    request: AuthenticatedRequest,
    command: WithoutIssued<PlacesCommand>,
    id: string,
  ): Promise<WriteResult> {
    return dispatch(
      this.commands,
      request,
      this.clock,
      command,
      (full, meta) => new HandlePlacesCommand(full, meta),
      id,
    );
  }

  @Post()
  @ApiOperation({
    summary:
      'Register a place: name, kind, the area it lies in and its position (the safety coordinator)',
  })
  @ApiCreatedResponse({ type: WriteResult })
  registerPlace(
    @Req() req: AuthenticatedRequest,
    @Body() body: RegisterPlaceDto,
  ): Promise<WriteResult> {
    const placeId = body.placeId ?? placeIdFromName(body.name);
    if (!placeId) {
      throw new InvalidInputError('REQUEST.INVALID', [
        { path: 'placeId', reason: 'give an id: the name makes none' },
      ]);
    }
    return this.send(req, { type: 'RegisterPlace', ...body, placeId }, placeId);
  }

  @Post(':placeId/changes')
  @ApiOperation({ summary: 'A new version of a place (name, kind, area, position), with a reason' })
  @ApiCreatedResponse({ type: WriteResult })
  changePlace(
    @Req() req: AuthenticatedRequest,
    @Param('placeId', SlugPipe) placeId: string,
    @Body() body: ChangePlaceDto,
  ): Promise<WriteResult> {
    return this.send(req, { type: 'ChangePlace', ...body, placeId }, placeId);
  }

  @Get()
  @ApiOperation({
    summary: 'The places register, paged: filter by kind or by the area places lie in',
  })
  @ApiQuery({ name: 'kind', required: false, enum: PLACE_KINDS })
  @ApiQuery({ name: 'areaId', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 100, default 25' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the page before' })
  async list(
    @Req() req: AuthenticatedRequest,
    @Query('kind') kind?: string,
    @Query('areaId') areaId?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<RegisteredPlace>> {
    assertMayRead(req.actor!, { kind: 'places' });
    const page = pageRequest({ limit, cursor });
    if (kind !== undefined && !(PLACE_KINDS as readonly string[]).includes(kind)) {
      throw new InvalidInputError('REQUEST.INVALID', [
        { path: 'query kind', reason: `must be one of ${PLACE_KINDS.join(', ')}` },
      ]);
    }
    const { places } = await this.register.state();
    const matching = [...places.values()].filter(
      (p) =>
        (kind === undefined || p.kind === kind) && (areaId === undefined || p.areaId === areaId),
    );
    return pageOf(matching, (p) => [p.name.toLocaleLowerCase('sv-SE'), p.placeId], page);
  }

  @Get(':placeId')
  @ApiOperation({ summary: 'One place of the register, with its version' })
  async read(
    @Req() req: AuthenticatedRequest,
    @Param('placeId', SlugPipe) placeId: string,
  ): Promise<RegisteredPlace> {
    assertMayRead(req.actor!, { kind: 'places' });
    const place = (await this.register.state()).places.get(placeId);
    if (!place) throw notFound('PLACES.UNKNOWN_PLACE', `There is no place '${placeId}'`);
    return place;
  }
}
