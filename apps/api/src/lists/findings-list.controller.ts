import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { partnershipWorkProjection } from '@samverkan/projections/partnership-work/partnership-work.projection';
import type { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { PlacesRegister } from '../places/places-register';
import { READ_MODELS } from '../projections/read-models.token';
import { awaitPosition } from '../projections/read-your-writes';
import { placesInArea } from './areas';
import {
  FINDING_COLUMNS,
  findingDecision,
  findingVisibleSql,
  presentFinding,
  type FindingListItem,
  type FindingRow,
} from './finding-rows';
import { keyset, pageFromRows, SqlParams, type KeyColumn } from './keyset';
import { LIST_QUERY_DOCS } from './list-docs';
import { ListQuery, type RawQuery } from './list-query';
import type { Page } from './paging';

const KEY: readonly KeyColumn[] = [
  { sql: 'f.found_on', type: 'date' },
  { sql: 'f.stream_id', type: 'text' },
  { sql: 'f.finding_id', type: 'text' },
];

const STATUSES = ['open', 'addressed'] as const;

@ApiTags('safety walks')
@ApiBearerAuth('bearer')
@Controller('findings')
export class FindingsListController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly daemon: ProjectionDaemon,
    private readonly places: PlacesRegister,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Every finding you may read, from safety walks and reported outside them, newest first, paged',
  })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'agency', required: false, description: 'The responsible party' })
  @ApiQuery({ name: 'placeId', required: false })
  @ApiQuery({ name: 'areaId', required: false, description: 'Findings at a place in this area' })
  @ApiQuery({ ...LIST_QUERY_DOCS.from, description: 'Found on or after (YYYY-MM-DD)' })
  @ApiQuery({ ...LIST_QUERY_DOCS.to, description: 'Found on or before; at most five years on' })
  @ApiQuery(LIST_QUERY_DOCS.limit)
  @ApiQuery(LIST_QUERY_DOCS.cursor)
  @ApiQuery(LIST_QUERY_DOCS.waitFor)
  async list(
    @Req() req: AuthenticatedRequest,
    @Query() raw: RawQuery,
  ): Promise<Page<FindingListItem>> {
    const reader = req.actor!;
    const q = new ListQuery(raw, [
      'status',
      'agency',
      'placeId',
      'areaId',
      'from',
      'to',
      'limit',
      'cursor',
      'waitFor',
    ]);
    const status = q.oneOf('status', STATUSES);
    const agency = q.agency('agency');
    const placeId = q.slug('placeId');
    const areaId = q.slug('areaId');
    const { from, to } = q.dateRange();
    const page = q.page(['date', 'text', 'text']);
    const waitFor = q.position('waitFor');
    q.check();
    const inArea =
      areaId === undefined ? undefined : placesInArea(await this.places.state(), areaId);
    await awaitPosition(this.daemon, partnershipWorkProjection.name, waitFor);
    const params = new SqlParams();
    const where = [findingVisibleSql(reader, params)];
    if (status === 'open') where.push('f.addressed_on is null');
    if (status === 'addressed') where.push('f.addressed_on is not null');
    if (agency !== undefined) where.push(`f.responsible_party = ${params.p(agency)}`);
    if (placeId !== undefined) where.push(`${params.p(placeId)}::text = any(f.place_ids)`);
    if (inArea !== undefined) where.push(`f.place_ids && ${params.p(inArea)}::text[]`);
    if (from !== undefined) where.push(`f.found_on >= ${params.p(from)}::date`);
    if (to !== undefined) where.push(`f.found_on <= ${params.p(to)}::date`);
    const { orderBy, condition } = keyset(KEY, page.after, params);
    if (condition) where.push(condition);
    const rows = await this.readModels.query<FindingRow[]>(
      `select ${FINDING_COLUMNS} from projections.findings f
        where ${where.join(' and ')}
        order by ${orderBy}
        limit ${params.p(page.limit + 1)}`,
      params.values,
    );
    return pageFromRows(
      rows,
      page,
      (r) => [r.found_on, r.stream_id, r.finding_id],
      (read) =>
        Promise.resolve(
          read.filter((r) => findingDecision(reader, r).allowed).map((r) => presentFinding(r)),
        ),
    );
  }
}
