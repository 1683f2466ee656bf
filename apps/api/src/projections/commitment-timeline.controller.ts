import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
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
  foldCredits,
  type CreditEntry,
} from '@samverkan/domain/citizen-promise/commitment-credit-ledger';
import { notFound } from '@samverkan/domain/domain-error';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import {
  commitmentTimelineProjection,
  readPromiseCredits,
  readPromiseDocument,
} from '@samverkan/projections/commitment-timeline/commitment-timeline.projection';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import type { Clock } from '@samverkan/shared/clock';
import { InvalidInputError, type InvalidField } from '@samverkan/shared/errors';
import type { DataSource } from 'typeorm';
import { CurrentActor } from '../auth/current-actor.decorator';
import { CLOCK } from '../commands/request-meta';
import { SlugPipe } from '../problems/slug.pipe';
import { AS_OF_DESCRIPTION, asOfFilter } from './as-of';
import { READ_MODELS } from './read-models.token';
import { awaitPosition } from './read-your-writes';
import { creditsAt } from '../follow-up/partnership-log';

/**
 * Commitment timelines with their credited work, from the read model; "as of" a past moment,
 * from the log.
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
    const { doc, credits } = await this.document(actor, promiseId, asOf, waitFor);
    const timeline = commitmentTimeline(doc, credits, reportRange(doc, this.clock, from, to));
    return asOf === undefined ? timeline : { asOf, ...timeline };
  }

  /** The promise and its credits from the read model, or as of a past moment from the log. */
  private async document(
    actor: Actor,
    promiseId: string,
    asOf: string | undefined,
    waitFor: string | undefined,
  ): Promise<{ doc: PromiseDocument; credits: CreditEntry[] }> {
    assertMayRead(actor, { kind: 'citizen-promise' });
    let doc: PromiseDocument | undefined;
    let credits: CreditEntry[];
    if (asOf === undefined) {
      await awaitPosition(this.daemon, commitmentTimelineProjection.name, waitFor);
      ({ doc, credits } = await this.readModels.transaction('REPEATABLE READ', async (tx) => ({
        doc: await readPromiseDocument(tx, promiseId),
        credits: await readPromiseCredits(tx, promiseId),
      })));
    } else {
      const known = asOfFilter(asOf);
      const events: CitizenPromiseEvent[] = [];
      for await (const e of this.store.readStream(citizenPromiseStream(promiseId))) {
        if (known(e)) events.push({ type: e.type, data: e.data } as unknown as CitizenPromiseEvent);
      }
      doc = foldPromiseDocument(events);
      credits = foldCredits(await creditsAt(this.store, promiseId, asOf), promiseId);
    }
    if (!doc) {
      throw notFound(
        'PROMISE.NOT_FOUND',
        `There is no promise '${promiseId}'${asOf ? ` as of ${asOf}` : ''}`,
      );
    }
    return { doc, credits };
  }
}

/** `from` and `to` that are no dates, named as query fields. */
export function rangeDateProblems(from?: string, to?: string): InvalidField[] {
  return (
    [
      ['from', from],
      ['to', to],
    ] as const
  ).flatMap(([key, value]) =>
    value !== undefined && !isLocalDate(value)
      ? [{ path: `query ${key}`, reason: 'must be a date YYYY-MM-DD' }]
      : [],
  );
}

/** Five years: the longest period a report or timeline covers, whatever the promise's. */
const MAX_RANGE_DAYS = 5 * 366;

/**
 * The period a timeline or report covers: by default the promise's period up to today; at most
 * as long as the promise's period and never more than five years, so one request cannot make
 * the server count day by day for ever. Refused with 400 naming `from` and `to`.
 */
export function reportRange(
  doc: PromiseDocument,
  clock: Clock,
  from?: string,
  to?: string,
): Period {
  const problems = rangeDateProblems(from, to);
  if (problems.length) throw new InvalidInputError('REQUEST.INVALID', problems);
  const today = swedishDate(clock.now());
  const range = {
    from: from ?? doc.period.from,
    to: to ?? (doc.period.to < today ? doc.period.to : today),
  };
  const days = (p: Period) => (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 + 1;
  const longest = Math.min(days(doc.period), MAX_RANGE_DAYS);
  if (range.from > range.to) {
    problems.push(
      { path: 'query from', reason: `must be on or before to (${range.to})` },
      { path: 'query to', reason: `must be on or after from (${range.from})` },
    );
  } else if (days(range) > longest) {
    const reason = `the period from ${range.from} to ${range.to} is ${days(range)} days; at most ${longest} (the promise's period, and never more than five years)`;
    problems.push({ path: 'query from', reason }, { path: 'query to', reason });
  }
  if (problems.length) throw new InvalidInputError('REQUEST.INVALID', problems);
  return range;
}
