import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { mayRead } from '@samverkan/domain/access-policy/access-policy';
import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import {
  LEGAL_GROUND_TEXT,
  type LegalBasis,
  type Participant,
} from '@samverkan/domain/prevention-talks/prevention-talks.events';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { partnershipWorkProjection } from '@samverkan/projections/partnership-work/partnership-work.projection';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { checkPurpose, ReadAccessLog } from '../access/read-access-log';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { READ_MODELS } from '../projections/read-models.token';
import { awaitPosition } from '../projections/read-your-writes';
import { keyset, pageFromRows, SqlParams, type KeyColumn } from './keyset';
import { LIST_QUERY_DOCS } from './list-docs';
import { ListQuery, type RawQuery } from './list-query';
import type { Page } from './paging';

export interface PreventionTalkListItem {
  readonly talkId: string;
  readonly plannedFor: string;
  readonly heldOn: string | null;
  readonly status: 'planned' | 'held' | 'closed';
  readonly legalBasis: LegalBasis;
  /** As the statute names it: what the data protection officer sees in the log too. */
  readonly legalGround: string;
  readonly participants: readonly Participant[];
  /** Who answers for each agreed follow-up, and by when; what it is, the talk itself says. */
  readonly agreedFollowUps: readonly {
    readonly responsibleAgency: AgencyCode;
    readonly dueOn: string;
  }[];
  readonly closed: boolean;
}

interface TalkRow {
  talk_id: string;
  planned_for: string;
  held_on: string | null;
  status: 'planned' | 'held' | 'closed';
  legal_basis: LegalBasis;
  participants: Participant[];
  follow_ups: { responsibleAgency: AgencyCode; dueOn: string }[];
  closed: boolean;
}

const KEY: readonly KeyColumn[] = [
  { sql: 't.planned_for', type: 'date' },
  { sql: 't.talk_id', type: 'text' },
];

const STATUSES = ['planned', 'held', 'closed'] as const;

@ApiTags('prevention talks (SSPF)')
@ApiBearerAuth('bearer')
@Controller('prevention-talks')
export class PreventionTalksListController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly daemon: ProjectionDaemon,
    private readonly readAccess: ReadAccessLog,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'The talks you take part in (your agency in your role), newest planned first, paged; needs a purpose, and each talk listed is logged with its legal ground. Of other talks nothing is said.',
  })
  @ApiQuery({ ...LIST_QUERY_DOCS.purpose, required: true })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ ...LIST_QUERY_DOCS.from, description: 'Planned for on or after (YYYY-MM-DD)' })
  @ApiQuery({ ...LIST_QUERY_DOCS.to, description: 'Planned for on or before' })
  @ApiQuery(LIST_QUERY_DOCS.limit)
  @ApiQuery(LIST_QUERY_DOCS.cursor)
  @ApiQuery(LIST_QUERY_DOCS.waitFor)
  async list(
    @Req() req: AuthenticatedRequest,
    @Query() raw: RawQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Page<PreventionTalkListItem>> {
    const reader = req.actor!;
    const q = new ListQuery(raw, ['purpose', 'status', 'from', 'to', 'limit', 'cursor', 'waitFor']);
    const status = q.oneOf('status', STATUSES);
    const { from, to } = q.dateRange();
    const page = q.page(['date', 'text']);
    const waitFor = q.position('waitFor');
    const purposeGiven = q.text('purpose');
    q.check();
    // Asked of everyone, in a talk or not: whether one must give a purpose says nothing.
    const purpose = checkPurpose(purposeGiven);
    await awaitPosition(this.daemon, partnershipWorkProjection.name, waitFor);
    res.setHeader('Cache-Control', 'no-store');
    const params = new SqlParams();
    // Only talks with this agency in this role among the readers (as the access policy rules,
    // asked again per talk below): a page of others would end early and hint at them.
    const where = [
      `t.participants @> jsonb_build_array(jsonb_build_object('agency', ${params.p(reader.agency)}::text, 'role', ${params.p(reader.role)}::text))`,
    ];
    if (status !== undefined) where.push(`t.status = ${params.p(status)}`);
    if (from !== undefined) where.push(`t.planned_for >= ${params.p(from)}::date`);
    if (to !== undefined) where.push(`t.planned_for <= ${params.p(to)}::date`);
    const { orderBy, condition } = keyset(KEY, page.after, params);
    if (condition) where.push(condition);
    const rows = await this.readModels.query<TalkRow[]>(
      `select t.talk_id, t.planned_for::text, t.held_on::text, t.status, t.legal_basis,
              t.participants, t.follow_ups, t.closed
         from projections.prevention_talks t
        where ${where.join(' and ')}
        order by ${orderBy}
        limit ${params.p(page.limit + 1)}`,
      params.values,
    );
    return pageFromRows(
      rows,
      page,
      (r) => [r.planned_for, r.talk_id],
      async (read) => {
        const items: PreventionTalkListItem[] = [];
        for (const t of read) {
          const decision = mayRead(reader, {
            kind: 'prevention-talk',
            participants: t.participants,
          });
          if (!decision.allowed) continue;
          // No log, no data: each talk's read is recorded, with its ground, before it leaves.
          await this.readAccess.record(
            reader,
            req.correlationId!,
            `prevention-talk-${t.talk_id}`,
            'prevention-talk',
            decision,
            purpose,
            LEGAL_GROUND_TEXT[t.legal_basis],
          );
          items.push({
            talkId: t.talk_id,
            plannedFor: t.planned_for,
            heldOn: t.held_on,
            status: t.status,
            legalBasis: t.legal_basis,
            legalGround: LEGAL_GROUND_TEXT[t.legal_basis],
            participants: t.participants,
            agreedFollowUps: t.follow_ups,
            closed: t.closed,
          });
        }
        return items;
      },
    );
  }
}
