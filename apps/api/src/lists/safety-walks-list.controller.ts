import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { mayRead } from '@samverkan/domain/access-policy/access-policy';
import { PARTNER_AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
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
  presentFinding,
  type FindingListItem,
  type FindingRow,
} from './finding-rows';
import { keyset, pageFromRows, SqlParams, type KeyColumn } from './keyset';
import { LIST_QUERY_DOCS } from './list-docs';
import { ListQuery, type RawQuery } from './list-query';
import type { Page } from './paging';

export interface SafetyWalkListItem {
  readonly walkId: string;
  readonly areaId: string | null;
  readonly route: readonly string[];
  readonly unresolvedPlaces?: readonly string[];
  readonly plannedOn: string | null;
  readonly invitedParties: readonly AgencyCode[];
  readonly conductedOn: string | null;
  readonly participants: readonly AgencyCode[];
  readonly residentsTakingPart: number | null;
  readonly status: 'planned' | 'conducted';
  readonly findings: readonly FindingListItem[];
}

interface WalkRow {
  walk_id: string;
  area_id: string | null;
  route: string[];
  unresolved_places: string[];
  planned_on: string | null;
  invited_parties: AgencyCode[];
  conducted_on: string | null;
  participants: AgencyCode[];
  residents_taking_part: number | null;
  status: 'planned' | 'conducted';
  walked_on: string;
}

/** The day a walk is listed by: walked, or else planned (a walk from before dates: day one). */
const WALKED_ON = `coalesce(w.conducted_on, w.planned_on, '0001-01-01'::date)`;
const KEY: readonly KeyColumn[] = [
  { sql: WALKED_ON, type: 'date' },
  { sql: 'w.walk_id', type: 'text' },
];

const STATUSES = ['planned', 'conducted'] as const;

@ApiTags('safety walks')
@ApiBearerAuth('bearer')
@Controller('safety-walks')
export class SafetyWalksListController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly daemon: ProjectionDaemon,
    private readonly places: PlacesRegister,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Safety walks you may read with their findings, newest first (by the day walked, or planned), paged',
  })
  @ApiQuery({ ...LIST_QUERY_DOCS.from, description: 'Walked (or planned) on or after' })
  @ApiQuery({ ...LIST_QUERY_DOCS.to, description: 'Walked (or planned) on or before' })
  @ApiQuery({
    name: 'areaId',
    required: false,
    description: 'Walks in this area, or whose route passes a place in it',
  })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery(LIST_QUERY_DOCS.limit)
  @ApiQuery(LIST_QUERY_DOCS.cursor)
  @ApiQuery(LIST_QUERY_DOCS.waitFor)
  async list(
    @Req() req: AuthenticatedRequest,
    @Query() raw: RawQuery,
  ): Promise<Page<SafetyWalkListItem>> {
    const reader = req.actor!;
    const q = new ListQuery(raw, ['from', 'to', 'areaId', 'status', 'limit', 'cursor', 'waitFor']);
    const { from, to } = q.dateRange();
    const areaId = q.slug('areaId');
    const status = q.oneOf('status', STATUSES);
    const page = q.page(['date', 'text']);
    const waitFor = q.position('waitFor');
    q.check();
    const inArea =
      areaId === undefined ? undefined : placesInArea(await this.places.state(), areaId);
    await awaitPosition(this.daemon, partnershipWorkProjection.name, waitFor);
    const params = new SqlParams();
    const where: string[] = [];
    // The access policy in SQL (so pages fill); each walk is asked again below.
    if (!PARTNER_AGENCIES.includes(reader.agency)) {
      where.push(`${params.p(reader.agency)}::text = any(w.invited_parties)`);
    }
    if (from !== undefined) where.push(`${WALKED_ON} >= ${params.p(from)}::date`);
    if (to !== undefined) where.push(`${WALKED_ON} <= ${params.p(to)}::date`);
    if (inArea !== undefined) {
      const area = params.p(inArea);
      where.push(`(w.area_id = any(${area}::text[]) or w.route && ${area}::text[])`);
    }
    if (status !== undefined) where.push(`w.status = ${params.p(status)}`);
    const { orderBy, condition } = keyset(KEY, page.after, params);
    if (condition) where.push(condition);
    const rows = await this.readModels.query<WalkRow[]>(
      `select w.walk_id, w.area_id, w.route, w.unresolved_places, w.planned_on::text,
              w.invited_parties, w.conducted_on::text, w.participants, w.residents_taking_part,
              w.status, ${WALKED_ON}::text as walked_on
         from projections.safety_walks w
        ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
        order by ${orderBy}
        limit ${params.p(page.limit + 1)}`,
      params.values,
    );
    return pageFromRows(
      rows,
      page,
      (r) => [r.walked_on, r.walk_id],
      async (read) => {
        const readable = read.filter(
          (w) =>
            mayRead(reader, { kind: 'safety-walk', invitedParties: w.invited_parties }).allowed,
        );
        const findings = await this.findingsOf(readable.map((w) => w.walk_id));
        return readable.map((w) => ({
          walkId: w.walk_id,
          areaId: w.area_id,
          route: w.route,
          ...(w.unresolved_places.length > 0 ? { unresolvedPlaces: w.unresolved_places } : {}),
          plannedOn: w.planned_on,
          invitedParties: w.invited_parties,
          conductedOn: w.conducted_on,
          participants: w.participants,
          residentsTakingPart: w.residents_taking_part,
          status: w.status,
          findings: findings.get(w.walk_id) ?? [],
        }));
      },
    );
  }

  /** The findings of the page's walks, in one query: read with the walk they belong to. */
  private async findingsOf(walkIds: string[]): Promise<Map<string, FindingListItem[]>> {
    const byWalk = new Map<string, FindingListItem[]>();
    if (walkIds.length === 0) return byWalk;
    const rows = await this.readModels.query<FindingRow[]>(
      `select ${FINDING_COLUMNS} from projections.findings f
        where f.stream_id = any($1::text[])
        order by f.stream_id, f.finding_id collate "C"`,
      [walkIds.map((id) => `safety-walk-${id}`)],
    );
    for (const r of rows) {
      const list = byWalk.get(r.walk_id!) ?? [];
      list.push(presentFinding(r));
      byWalk.set(r.walk_id!, list);
    }
    return byWalk;
  }
}
