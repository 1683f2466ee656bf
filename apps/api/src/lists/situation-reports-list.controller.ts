import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  assertMayRead,
  mayRead,
  mayReadRetractedContent,
} from '@samverkan/domain/access-policy/access-policy';
import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import type { Period } from '@samverkan/domain/calendar';
import type { SituationReportView } from '@samverkan/domain/situation-picture/situation-picture.view';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { situationPictureProjection } from '@samverkan/projections/situation-picture/situation-picture.projection';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { checkPurpose, ReadAccessLog } from '../access/read-access-log';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { PlacesRegister } from '../places/places-register';
import { READ_MODELS } from '../projections/read-models.token';
import { awaitPosition } from '../projections/read-your-writes';
import { placeName, placesInArea } from './areas';
import { keyset, pageFromRows, SqlParams, type KeyColumn } from './keyset';
import { LIST_QUERY_DOCS } from './list-docs';
import { ListQuery, type RawQuery } from './list-query';
import type { Page } from './paging';

export interface SituationReportListItem {
  readonly reportId: string;
  readonly reportingAgency: AgencyCode;
  readonly places: readonly { readonly placeId: string; readonly name: string }[];
  readonly unresolvedPlace?: string;
  readonly problemArea: string;
  readonly period: Period;
  readonly trend: SituationReportView['trend'];
  readonly severity: SituationReportView['severity'];
  /** Null for a retracted report, unless the reader's agency reported it or is an auditor. */
  readonly description: string | null;
  readonly source: SituationReportView['source'];
  readonly sensitivity: SituationReportView['sensitivity'];
  readonly sharedWith: readonly AgencyCode[];
  readonly status: SituationReportView['status'];
  readonly reportedAt: Date;
  readonly changedAt: Date;
}

export type SituationReportList = Page<SituationReportListItem>;

interface ReportRow {
  report_id: string;
  place_ids: string[];
  unresolved_place: string | null;
  problem_area: string;
  period_from: string;
  period_to: string;
  trend: SituationReportView['trend'];
  severity: SituationReportView['severity'];
  description: string;
  source: SituationReportView['source'];
  sensitivity: SituationReportView['sensitivity'];
  shared_with: AgencyCode[];
  reporting_agency: AgencyCode;
  status: SituationReportView['status'];
  reported_at: Date;
  changed_at: Date;
}

const KEY: readonly KeyColumn[] = [
  { sql: 'r.period_from', type: 'date' },
  { sql: 'r.report_id', type: 'text' },
];

const STATUSES = ['reported', 'retracted'] as const;

@ApiTags('situation picture')
@ApiBearerAuth('bearer')
@Controller('situation-reports')
export class SituationReportsListController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly daemon: ProjectionDaemon,
    private readonly readAccess: ReadAccessLog,
    private readonly places: PlacesRegister,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Situation reports, paged, newest period first. Open reports for the partnership; restricted ones only to the agencies allowed and with a purpose (each read logged); the others are left out without a trace (the situation picture counts them per area).',
  })
  @ApiQuery(LIST_QUERY_DOCS.from)
  @ApiQuery(LIST_QUERY_DOCS.to)
  @ApiQuery({ name: 'placeId', required: false, description: 'Reports naming this place' })
  @ApiQuery({ name: 'areaId', required: false, description: 'Reports with a place in this area' })
  @ApiQuery({ name: 'problemArea', required: false })
  @ApiQuery({ name: 'agency', required: false, description: 'The reporting agency' })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery(LIST_QUERY_DOCS.purpose)
  @ApiQuery(LIST_QUERY_DOCS.limit)
  @ApiQuery(LIST_QUERY_DOCS.cursor)
  @ApiQuery(LIST_QUERY_DOCS.waitFor)
  async list(
    @Req() req: AuthenticatedRequest,
    @Query() raw: RawQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SituationReportList> {
    const reader = req.actor!;
    // The list is part of the shared picture: an agency outside it learns not even a count.
    assertMayRead(reader, { kind: 'situation-picture' });
    const q = new ListQuery(raw, [
      'from',
      'to',
      'placeId',
      'areaId',
      'problemArea',
      'agency',
      'status',
      'purpose',
      'limit',
      'cursor',
      'waitFor',
    ]);
    const { from, to } = q.dateRange();
    const placeId = q.slug('placeId');
    const areaId = q.slug('areaId');
    const problemArea = q.slug('problemArea');
    const agency = q.agency('agency');
    const status = q.oneOf('status', STATUSES);
    const purposeGiven = q.text('purpose');
    const page = q.page(['date', 'text']);
    const waitFor = q.position('waitFor');
    q.check();
    const purpose = purposeGiven === undefined ? undefined : checkPurpose(purposeGiven);
    const register = await this.places.state();
    const inArea = areaId === undefined ? undefined : placesInArea(register, areaId);
    await awaitPosition(this.daemon, situationPictureProjection.name, waitFor);

    const params = new SqlParams();
    const filters: string[] = [];
    if (from !== undefined) filters.push(`r.period_to >= ${params.p(from)}::date`);
    if (to !== undefined) filters.push(`r.period_from <= ${params.p(to)}::date`);
    if (placeId !== undefined) filters.push(`${params.p(placeId)}::text = any(r.place_ids)`);
    if (inArea !== undefined) filters.push(`r.place_ids && ${params.p(inArea)}::text[]`);
    if (problemArea !== undefined) filters.push(`r.problem_area = ${params.p(problemArea)}`);
    if (agency !== undefined) filters.push(`r.reporting_agency = ${params.p(agency)}`);
    if (status !== undefined) filters.push(`r.status = ${params.p(status)}`);
    // What the access policy lets this agency read of a restricted report, said in SQL so that
    // pages fill and the count of the others spans all pages; each row is asked again below.
    let shown = `r.sensitivity = 'open'`;
    if (purpose !== undefined) {
      const me = params.p(reader.agency);
      shown = `(r.sensitivity = 'open' or r.reporting_agency = ${me} or ${me}::text = any(r.shared_with))`;
    }
    const filtered = filters.length > 0 ? filters.join(' and ') : 'true';
    const { orderBy, condition } = keyset(KEY, page.after, params);
    // Reports the reader may not read are not counted here: a count under filters the caller
    // narrows at will (a place, a reporter, one day) would tell one report's existence. The
    // situation picture counts them per area and problem area only.
    const { rows } = await this.readModels.transaction('REPEATABLE READ', async (tx) => ({
      rows: await tx.query<ReportRow[]>(
        `select r.report_id, r.place_ids, r.unresolved_place, r.problem_area,
                r.period_from::text, r.period_to::text, r.trend, r.severity, r.description,
                r.source, r.sensitivity, r.shared_with, r.reporting_agency, r.status,
                r.reported_at, r.changed_at
           from projections.situation_reports r
          where ${filtered} and ${shown} ${condition ? `and ${condition}` : ''}
          order by ${orderBy}
          limit ${params.p(page.limit + 1)}`,
        params.values,
      ),
    }));
    const list = await pageFromRows(
      rows,
      page,
      (r) => [r.period_from, r.report_id],
      async (read) => {
        const items: SituationReportListItem[] = [];
        let restricted = false;
        for (const r of read) {
          const decision = mayRead(reader, {
            kind: 'situation-report',
            reportingAgency: r.reporting_agency,
            sensitivity: r.sensitivity,
            sharedWith: r.shared_with,
          });
          if (!decision.allowed || (decision.logged && purpose === undefined)) continue;
          // No log, no data: the read is recorded before the report leaves.
          if (decision.logged) {
            restricted = true;
            await this.readAccess.record(
              reader,
              req.correlationId!,
              `situation-report-${r.report_id}`,
              'situation-report',
              decision,
              purpose,
            );
          }
          const item = present(r, (id) => placeName(register, id));
          items.push(
            r.status === 'retracted' &&
              !mayReadRetractedContent(reader, { reportingAgency: r.reporting_agency })
              ? { ...item, description: null }
              : item,
          );
        }
        if (restricted) res.setHeader('Cache-Control', 'no-store');
        return items;
      },
    );
    return list;
  }
}

function present(r: ReportRow, nameOf: (placeId: string) => string): SituationReportListItem {
  return {
    reportId: r.report_id,
    reportingAgency: r.reporting_agency,
    places: r.place_ids.map((placeId) => ({ placeId, name: nameOf(placeId) })),
    ...(r.unresolved_place === null ? {} : { unresolvedPlace: r.unresolved_place }),
    problemArea: r.problem_area,
    period: { from: r.period_from, to: r.period_to },
    trend: r.trend,
    severity: r.severity,
    description: r.description,
    source: r.source,
    sensitivity: r.sensitivity,
    sharedWith: r.shared_with,
    status: r.status,
    reportedAt: r.reported_at,
    changedAt: r.changed_at,
  };
}
