import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { assertMayRead } from '@samverkan/domain/access-policy/access-policy';
import type { Actor } from '@samverkan/domain/actor';
import { isLocalDate, swedishDate, type Period } from '@samverkan/domain/calendar';
import {
  citizenPromiseStream,
  type CitizenPromiseEvent,
} from '@samverkan/domain/citizen-promise/citizen-promise.events';
import {
  foldPromiseDocument,
  type PromiseDocument,
} from '@samverkan/domain/citizen-promise/citizen-promise.view';
import {
  commitmentTimeline,
  type PromiseTimeline,
} from '@samverkan/domain/citizen-promise/commitment-timeline';
import {
  followUpReport,
  followUpReportMarkdown,
  type FollowUpReport,
} from '@samverkan/domain/citizen-promise/follow-up-report';
import { notFound } from '@samverkan/domain/domain-error';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import {
  commitmentTimelineProjection,
  readPromiseDocument,
} from '@samverkan/projections/commitment-timeline/commitment-timeline.projection';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import type { Clock } from '@samverkan/shared/clock';
import { InvalidInputError, type InvalidField } from '@samverkan/shared/errors';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { CurrentActor } from '../auth/current-actor.decorator';
import { CLOCK } from '../commands/request-meta';
import { SlugPipe } from '../problems/slug.pipe';
import { AS_OF_DESCRIPTION, asOfFilter } from './as-of';
import { READ_MODELS } from './read-models.token';
import { awaitPosition } from './read-your-writes';

/**
 * Commitment timelines and the follow-up report for the municipal board, from the read model;
 * "as of" a past moment, from the log.
 */
@ApiTags('citizen promises')
@ApiBearerAuth('bearer')
@Controller('promises')
export class CommitmentTimelineController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly daemon: ProjectionDaemon,
  ) {}

  @Get(':promiseId/timeline')
  @ApiOperation({
    summary:
      'Every commitment of the promise with its owner, its activities in date order, its fulfilment against its cadence (weeks missed listed) and its status',
  })
  @ApiQuery({ name: 'from', required: false, description: 'Fulfilment from (YYYY-MM-DD)' })
  @ApiQuery({ name: 'to', required: false, description: 'Fulfilment to (YYYY-MM-DD)' })
  @ApiQuery({ name: 'asOf', required: false, description: AS_OF_DESCRIPTION })
  @ApiQuery({ name: 'waitFor', required: false })
  async timeline(
    @CurrentActor() actor: Actor,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('asOf') asOf?: string,
    @Query('waitFor') waitFor?: string,
  ): Promise<PromiseTimeline & { asOf?: string }> {
    checkQuery({ from, to });
    const doc = await this.document(actor, promiseId, asOf, waitFor);
    const timeline = commitmentTimeline(doc, this.range(doc, from, to));
    return asOf === undefined ? timeline : { asOf, ...timeline };
  }

  @Get(':promiseId/follow-up-report')
  @ApiOperation({
    summary:
      'The follow-up for the municipal board: per problem area and commitment what was done and fulfilment against the cadence (format=markdown or json)',
  })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'markdown'] })
  @ApiQuery({ name: 'asOf', required: false, description: AS_OF_DESCRIPTION })
  @ApiQuery({ name: 'waitFor', required: false })
  async followUp(
    @CurrentActor() actor: Actor,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Res({ passthrough: true }) res: Response,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('format') format?: string,
    @Query('asOf') asOf?: string,
    @Query('waitFor') waitFor?: string,
  ): Promise<FollowUpReport | string> {
    checkQuery({ from, to, format });
    const doc = await this.document(actor, promiseId, asOf, waitFor);
    const report = followUpReport(doc, this.range(doc, from, to));
    if (format === 'markdown') {
      res.type('text/markdown; charset=utf-8');
      return followUpReportMarkdown(report);
    }
    return report;
  }

  /** The promise from the read model, or as of a past moment from its stream in the log. */
  private async document(
    actor: Actor,
    promiseId: string,
    asOf: string | undefined,
    waitFor: string | undefined,
  ): Promise<PromiseDocument> {
    assertMayRead(actor, { kind: 'citizen-promise' });
    let doc: PromiseDocument | undefined;
    if (asOf === undefined) {
      await awaitPosition(this.daemon, commitmentTimelineProjection.name, waitFor);
      doc = await this.readModels.transaction('REPEATABLE READ', (tx) =>
        readPromiseDocument(tx, promiseId),
      );
    } else {
      const known = asOfFilter(asOf);
      const events: CitizenPromiseEvent[] = [];
      for await (const e of this.store.readStream(citizenPromiseStream(promiseId))) {
        if (known(e)) events.push({ type: e.type, data: e.data } as unknown as CitizenPromiseEvent);
      }
      doc = foldPromiseDocument(events);
    }
    if (!doc) {
      throw notFound(
        'PROMISE.NOT_FOUND',
        `There is no promise '${promiseId}'${asOf ? ` as of ${asOf}` : ''}`,
      );
    }
    return doc;
  }

  /** By default the promise's period up to today. */
  private range(doc: PromiseDocument, from?: string, to?: string): Period {
    const today = swedishDate(this.clock.now());
    return {
      from: from ?? doc.period.from,
      to: to ?? (doc.period.to < today ? doc.period.to : today),
    };
  }
}

function checkQuery(q: { from?: string; to?: string; format?: string }): void {
  const problems: InvalidField[] = [];
  for (const key of ['from', 'to'] as const) {
    const value = q[key];
    if (value !== undefined && !isLocalDate(value)) {
      problems.push({ path: `query ${key}`, reason: 'must be a date YYYY-MM-DD' });
    }
  }
  if (q.format !== undefined && q.format !== 'json' && q.format !== 'markdown') {
    problems.push({ path: 'query format', reason: "must be 'json' or 'markdown'" });
  }
  if (problems.length) throw new InvalidInputError('REQUEST.INVALID', problems);
}
