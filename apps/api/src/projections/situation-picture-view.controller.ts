import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { assertMayRead, mayRead } from '@samverkan/domain/access-policy/access-policy';
import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { SamverkanError } from '@samverkan/shared/errors';
import type { DataSource } from 'typeorm';
import { ReadAccessLog } from '../access/read-access-log';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { READ_MODELS } from './read-models.token';

interface ReportRow {
  report_id: string;
  area: string;
  place: string | null;
  problem_area: string;
  period_from: string | Date;
  period_to: string | Date;
  trend: string;
  severity: string;
  description: string;
  source: string;
  sensitivity: 'open' | 'restricted';
  shared_with: AgencyCode[];
  reporting_agency: AgencyCode;
  reported_at: Date;
}

/** Small counts can point at a person: below this they are shown as "fewer than 5". */
const SMALL_COUNT = 5;

const day = (value: string | Date): string =>
  typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);

class NotYetApplied extends SamverkanError {
  readonly kind = 'unavailable' as const;
  constructor(position: number) {
    super(
      'PROJECTIONS.NOT_YET_APPLIED',
      `The read models have not applied position ${position} yet; retry`,
    );
  }
}

@ApiTags('situation picture')
@ApiBearerAuth('bearer')
@Controller('situation-picture')
export class SituationPictureViewController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly daemon: ProjectionDaemon,
    private readonly readAccess: ReadAccessLog,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'The shared situation picture per area and problem area: current reports from each agency, what changed since the last partnership meeting, counts per month. Restricted reports show their content only to the agencies allowed, and only with a purpose (logged); others see that they exist.',
  })
  @ApiQuery({ name: 'area', required: false })
  @ApiQuery({ name: 'problemArea', required: false })
  @ApiQuery({ name: 'purpose', required: false })
  @ApiQuery({ name: 'waitFor', required: false })
  async picture(
    @Req() req: AuthenticatedRequest,
    @Query('area') area?: string,
    @Query('problemArea') problemArea?: string,
    @Query('purpose') purpose?: string,
    @Query('waitFor') waitFor?: string,
  ) {
    const reader = req.actor!;
    assertMayRead(reader, { kind: 'situation-picture' });
    if (waitFor !== undefined && /^\d{1,15}$/.test(waitFor)) {
      if (!(await this.daemon.waitFor(Number(waitFor), 5000)))
        throw new NotYetApplied(Number(waitFor));
    }
    const [last] = await this.readModels.query<
      {
        confirmation_id: string;
        meeting_on: string | Date;
        period_from: string | Date;
        period_to: string | Date;
      }[]
    >(
      `select confirmation_id, meeting_on, period_from, period_to
         from projections.situation_picture_confirmations order by meeting_on desc limit 1`,
    );
    const rows = await this.readModels.query<ReportRow[]>(
      `select * from projections.situation_reports
        where status = 'reported'
          and ($1::text is null or area = $1) and ($2::text is null or problem_area = $2)
        order by area, problem_area, reported_at`,
      [area ?? null, problemArea ?? null],
    );
    const lastMeeting = last ? day(last.meeting_on) : null;
    const groups = new Map<string, { area: string; problemArea: string; reports: unknown[] }>();
    for (const row of rows) {
      const decision = mayRead(reader, {
        kind: 'situation-report',
        reportingAgency: row.reporting_agency,
        sensitivity: row.sensitivity,
        sharedWith: row.shared_with,
      });
      let content: Record<string, unknown> | null = null;
      let note: string | undefined;
      if (decision.allowed && (!decision.logged || purpose)) {
        if (decision.logged) {
          await this.readAccess.record(
            reader,
            req.correlationId!,
            `situation-report-${row.report_id}`,
            'situation-report',
            decision,
            purpose,
          );
        }
        content = {
          place: row.place,
          period: { from: day(row.period_from), to: day(row.period_to) },
          trend: row.trend,
          severity: row.severity,
          description: row.description,
          source: row.source,
        };
      } else if (decision.allowed) {
        note =
          'restricted: add ?purpose= to see the content your agency may read (the read is logged)';
      } else {
        note = 'restricted to the reporting agency and the agencies it named';
      }
      const key = `${row.area}\u0000${row.problem_area}`;
      const group = groups.get(key) ?? {
        area: row.area,
        problemArea: row.problem_area,
        reports: [],
      };
      group.reports.push({
        reportId: row.report_id,
        reportingAgency: row.reporting_agency,
        sensitivity: row.sensitivity,
        reportedAt: row.reported_at,
        changedSinceLastMeeting: lastMeeting === null || day(row.reported_at) > lastMeeting,
        content,
        ...(note ? { note } : {}),
      });
      groups.set(key, group);
    }
    const counts = await this.readModels.query<
      { month: string; area: string; problem_area: string; n: string }[]
    >(
      `select to_char(period_from, 'YYYY-MM') as month, area, problem_area, count(*) as n
         from projections.situation_reports where status = 'reported'
        group by 1, 2, 3 order by 1, 2, 3`,
    );
    return {
      lastMeeting: last
        ? {
            confirmationId: last.confirmation_id,
            meetingOn: day(last.meeting_on),
            period: { from: day(last.period_from), to: day(last.period_to) },
          }
        : null,
      areas: [...groups.values()],
      countsByMonth: counts.map((c) => ({
        month: c.month,
        area: c.area,
        problemArea: c.problem_area,
        reports: Number(c.n) < SMALL_COUNT ? `fewer than ${SMALL_COUNT}` : Number(c.n),
      })),
    };
  }
}
