import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { mayRead } from '@samverkan/domain/access-policy/access-policy';
import type { Period } from '@samverkan/domain/calendar';
import { commitmentTimelineProjection } from '@samverkan/projections/commitment-timeline/commitment-timeline.projection';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import type { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { READ_MODELS } from '../projections/read-models.token';
import { awaitPosition } from '../projections/read-your-writes';
import { keyset, pageFromRows, SqlParams, type KeyColumn } from './keyset';
import { ListQuery, type RawQuery } from './list-query';
import type { Page } from './paging';
import { LIST_QUERY_DOCS } from './list-docs';

export interface PromiseListItem {
  readonly promiseId: string;
  readonly title: string;
  readonly municipality: string;
  readonly period: Period;
  readonly status: string;
}

interface PromiseRow {
  promise_id: string;
  title: string;
  municipality: string;
  period_from: string;
  period_to: string;
  status: string;
}

const KEY: readonly KeyColumn[] = [
  { sql: `p.document->'period'->>'from'`, type: 'date' },
  { sql: 'p.promise_id', type: 'text' },
];

/** The citizen promises of the partnership, newest period first, from the timeline read model. */
@ApiTags('citizen promises')
@ApiBearerAuth('bearer')
@Controller('promises')
export class PromisesListController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly daemon: ProjectionDaemon,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The promises, paged; `from`/`to` keep those whose period overlaps' })
  @ApiQuery(LIST_QUERY_DOCS.from)
  @ApiQuery(LIST_QUERY_DOCS.to)
  @ApiQuery(LIST_QUERY_DOCS.limit)
  @ApiQuery(LIST_QUERY_DOCS.cursor)
  @ApiQuery(LIST_QUERY_DOCS.waitFor)
  async list(
    @Req() req: AuthenticatedRequest,
    @Query() raw: RawQuery,
  ): Promise<Page<PromiseListItem>> {
    const reader = req.actor!;
    const q = new ListQuery(raw, ['from', 'to', 'limit', 'cursor', 'waitFor']);
    const { from, to } = q.dateRange();
    const page = q.page(['date', 'text']);
    const waitFor = q.position('waitFor');
    q.check();
    await awaitPosition(this.daemon, commitmentTimelineProjection.name, waitFor);
    const params = new SqlParams();
    const where: string[] = [];
    if (from !== undefined) where.push(`p.document->'period'->>'to' >= ${params.p(from)}`);
    if (to !== undefined) where.push(`p.document->'period'->>'from' <= ${params.p(to)}`);
    const { orderBy, condition } = keyset(KEY, page.after, params);
    if (condition) where.push(condition);
    const rows = await this.readModels.query<PromiseRow[]>(
      `select p.promise_id, p.document->>'title' as title,
              p.document->>'municipality' as municipality,
              p.document->'period'->>'from' as period_from,
              p.document->'period'->>'to' as period_to, p.document->>'status' as status
         from projections.promises p
        ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
        order by ${orderBy}
        limit ${params.p(page.limit + 1)}`,
      params.values,
    );
    return pageFromRows(
      rows,
      page,
      (r) => [r.period_from, r.promise_id],
      (read) =>
        Promise.resolve(
          // Public by kind today; asked all the same, so a change of rule reaches this list.
          read
            .filter(() => mayRead(reader, { kind: 'citizen-promise' }).allowed)
            .map((r) => ({
              promiseId: r.promise_id,
              title: r.title,
              municipality: r.municipality,
              period: { from: r.period_from, to: r.period_to },
              status: r.status,
            })),
        ),
    );
  }
}
