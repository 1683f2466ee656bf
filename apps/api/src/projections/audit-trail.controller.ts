import {
  READ_REFUSALS,
  type ReadRefusal,
  type ReadRefusals,
} from '@samverkan/event-store/read-refusals.port';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { assertMayRead, readsWholeAuditTrail } from '@samverkan/domain/access-policy/access-policy';
import type { Actor } from '@samverkan/domain/actor';
import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { auditTrailProjection } from '@samverkan/projections/audit-trail/audit-trail.projection';
import {
  AuditTrailEntry,
  type ReadOfRestrictedData,
} from '@samverkan/projections/audit-trail/audit-trail-entry.entity';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { READ_MODELS } from './read-models.token';
import { awaitPosition } from './read-your-writes';

export class AuditTrailQuery {
  @ApiPropertyOptional({ enum: AGENCIES }) @IsOptional() @IsIn(AGENCIES) agency?: AgencyCode;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) userId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) streamId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) type?: string;
  @ApiPropertyOptional({ description: 'Recorded at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  from?: string;
  @ApiPropertyOptional({ description: 'Recorded before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  to?: string;
  @ApiPropertyOptional({ description: 'Entries after this global position (paging)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?:
    'json' | 'csv';
  @ApiPropertyOptional({
    description: 'Read-your-writes: wait until this global position is applied',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  waitFor?: number;
  @ApiPropertyOptional({ default: 5000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30000)
  timeoutMs?: number;
}

export class AuditEntry {
  @ApiProperty() globalPosition!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() eventType!: string;
  @ApiProperty() actorUserId!: string;
  @ApiProperty() actorAgency!: string;
  @ApiProperty() actorRole!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ nullable: true }) causationId!: string | null;
  @ApiProperty({
    nullable: true,
    description:
      'In the read-access log: the stream and kind read, the ground of the access, the purpose the reader stated and the legal ground the data rests on',
  })
  read?: ReadOfRestrictedData | null;
}

const READ_EVENT = 'RestrictedDataRead';

const COLUMNS = [
  'globalPosition',
  'eventId',
  'streamId',
  'revision',
  'eventType',
  'actorUserId',
  'actorAgency',
  'actorRole',
  'occurredAt',
  'recordedAt',
  'correlationId',
  'causationId',
] as const;

function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  // A spreadsheet runs a cell that starts with = + - @ (or a tab or return before one) as a
  // formula: a user id or stream id chosen by an attacker would run on the auditor's machine.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Roles whose work is the audit itself: they read every action of their agency. */
const AUDIT_ROLES: readonly string[] = [
  'auditor',
  'data-protection-officer',
  'partnership-auditor',
];

@ApiTags('audit trail')
@ApiBearerAuth('bearer')
@Controller('audit-trail')
export class AuditTrailController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly daemon: ProjectionDaemon,
    @Inject(READ_REFUSALS) private readonly refusals: ReadRefusals,
  ) {}

  @Get('read-access')
  @ApiOperation({
    summary:
      'The read-access log: who read restricted or personal data, when, why (data protection officer only)',
  })
  async readAccess(
    @Req() req: AuthenticatedRequest,
    @Query() query: AuditTrailQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuditEntry[] | string> {
    const reader = req.actor!;
    // A data protection officer reads the reads of their own agency's users, no other's.
    const agency = query.agency ?? reader.agency;
    assertMayRead(reader, { kind: 'read-access-log', readerAgency: agency });
    return this.entries(reader, { ...query, agency, type: READ_EVENT }, res, 'read-access');
  }

  @Get('read-access/controlled')
  @ApiOperation({
    summary:
      "Reads of the data your agency controls (the talks it organised, the restricted reports it made), by anyone's users, and the refused attempts to read it (data protection officer only)",
  })
  async controlled(
    @Req() req: AuthenticatedRequest,
    @Query() query: AuditTrailQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ reads: AuditEntry[]; refused: (ReadRefusal & { at: Date })[] }> {
    const reader = req.actor!;
    assertMayRead(reader, { kind: 'read-access-log', readerAgency: reader.agency });
    const { agency: _ignored, format: _format, ...rest } = query;
    const reads = (await this.entries(
      reader,
      { ...rest, type: READ_EVENT },
      res,
      'read-access',
      reader.agency,
    )) as AuditEntry[];
    const refused = await this.refusals.ofController(reader.agency, query.limit ?? 100);
    return { reads, refused };
  }

  @Get()
  @ApiOperation({
    summary:
      'Who did what and when, from every event’s envelope: an agency’s own actions (its auditor and data protection officer included); the whole partnership’s for the partnership auditor. format=csv exports.',
  })
  list(
    @Req() req: AuthenticatedRequest,
    @Query() query: AuditTrailQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuditEntry[] | string> {
    const reader = req.actor!;
    const wide = readsWholeAuditTrail(reader);
    const agency = query.agency ?? (wide ? undefined : reader.agency);
    assertMayRead(reader, { kind: 'audit-trail', actorAgency: agency ?? reader.agency });
    return this.entries(reader, { ...query, ...(agency ? { agency } : {}) }, res, 'actions');
  }

  /**
   * `actions`: the audit trail, never the reads of restricted data (those are the read-access
   * log's, whatever the query asks for); `read-access`: those reads only.
   */
  private async entries(
    reader: Actor,
    query: AuditTrailQuery,
    res: Response,
    log: 'actions' | 'read-access',
    /** Reads of the streams this agency controls (it wrote their first event), by anyone. */
    controlledBy?: string,
  ): Promise<AuditEntry[] | string> {
    const agency = query.agency;
    await awaitPosition(this.daemon, auditTrailProjection.name, query.waitFor, {
      timeoutMs: query.timeoutMs,
    });
    const q = this.readModels
      .getRepository(AuditTrailEntry)
      .createQueryBuilder('e')
      .orderBy('e.globalPosition', 'ASC')
      .limit(query.limit ?? 100);
    // Reads of personal data are the read-access log's, which only the DPO reads.
    if (log === 'actions') {
      q.andWhere('e.eventType <> :readEvent', { readEvent: READ_EVENT });
      if (!AUDIT_ROLES.includes(reader.role)) {
        // An agency's users see its actions, but not on a talk or a restricted report they may
        // not read themselves (its id, dates and revisions are not theirs to know): those rows
        // are for the agency's auditor and data protection officer.
        q.andWhere(`e.stream_id not like 'prevention-talk-%'`);
        q.andWhere(
          `not exists (select 1 from projections.situation_reports r
             where 'situation-report-' || r.report_id = e.stream_id
               and r.sensitivity = 'restricted' and r.reporting_agency <> :readerAgency
               and not (cast(:readerAgency as text) = any(r.shared_with)))`,
          { readerAgency: reader.agency },
        );
      }
    }
    if (agency) q.andWhere('e.actorAgency = :agency', { agency });
    if (controlledBy) {
      q.andWhere(
        `exists (select 1 from projections.audit_trail c
           where c.stream_id = e.read ->> 'streamId' and c.revision = 0
             and c.actor_agency = :controlledBy)`,
        { controlledBy },
      );
    }
    if (query.userId) q.andWhere('e.actorUserId = :userId', { userId: query.userId });
    if (query.streamId) q.andWhere('e.streamId = :streamId', { streamId: query.streamId });
    if (query.type) q.andWhere('e.eventType = :type', { type: query.type });
    if (query.from) q.andWhere('e.recordedAt >= :from', { from: query.from });
    if (query.to) q.andWhere('e.recordedAt < :to', { to: query.to });
    if (query.after !== undefined) q.andWhere('e.globalPosition > :after', { after: query.after });
    const entries: AuditEntry[] = (await q.getMany()).map(({ read, ...e }) => ({
      ...e,
      // The actions carry no read; the read-access log says what was read and why.
      ...(log === 'read-access' ? { read } : {}),
      occurredAt: e.occurredAt.toISOString(),
      recordedAt: e.recordedAt.toISOString(),
    }));
    if (query.format === 'csv') {
      res.type('text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="audit-trail.csv"');
      return (
        [
          COLUMNS.join(','),
          ...entries.map((e) => COLUMNS.map((c) => csvCell(e[c])).join(',')),
        ].join('\r\n') + '\r\n'
      );
    }
    return entries;
  }
}
