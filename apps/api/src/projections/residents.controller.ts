import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Period } from '@samverkan/domain/calendar';
import { commitmentTimeline } from '@samverkan/domain/citizen-promise/commitment-timeline';
import {
  residentsPromise,
  type ResidentsPromise,
} from '@samverkan/domain/citizen-promise/residents-view';
import { notFound } from '@samverkan/domain/domain-error';
import {
  readPromiseCredits,
  readPromiseDocument,
} from '@samverkan/projections/commitment-timeline/commitment-timeline.projection';
import type { Clock } from '@samverkan/shared/clock';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { CLOCK } from '../commands/request-meta';
import { PlacesRegister } from '../places/places-register';
import { SlugPipe } from '../problems/slug.pipe';
import { reportRange } from './commitment-timeline.controller';
import { READ_MODELS } from './read-models.token';

export interface ResidentsPromiseListItem {
  readonly promiseId: string;
  readonly title: string;
  readonly period: Period;
}

/**
 * What the residents the promise is made to may read without signing in: the promises in force
 * and, for each, what was promised and what has been done so far (residents-view.ts decides
 * what that holds). Rate-limited per client address, like every route without credentials.
 * A promise still being drafted is not public: it answers as if it did not exist.
 */
@ApiTags('residents (public)')
@Public()
@Controller('public/promises')
export class ResidentsController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly places: PlacesRegister,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The promises in force, newest first (no sign-in)' })
  async list(): Promise<{ items: ResidentsPromiseListItem[] }> {
    const rows = await this.readModels.query<
      { promise_id: string; title: string; period_from: string; period_to: string }[]
    >(
      `select promise_id, document->>'title' as title,
              document->'period'->>'from' as period_from, document->'period'->>'to' as period_to
         from projections.promises
        where document->>'status' = 'in_force'
        order by document->'period'->>'from' desc, promise_id`,
    );
    return {
      items: rows.map((r) => ({
        promiseId: r.promise_id,
        title: r.title,
        period: { from: r.period_from, to: r.period_to },
      })),
    };
  }

  @Get(':promiseId')
  @ApiOperation({
    summary:
      'What the partnership promised and has done so far: per commitment the counts, dates, kinds of work and registered places (no sign-in; no free text, no person, work done in confidence only as a blurred count)',
  })
  async promise(@Param('promiseId', SlugPipe) promiseId: string): Promise<ResidentsPromise> {
    const { doc, credits } = await this.readModels.transaction('REPEATABLE READ', async (tx) => ({
      doc: await readPromiseDocument(tx, promiseId),
      credits: await readPromiseCredits(tx, promiseId),
    }));
    if (!doc || doc.status !== 'in_force') {
      throw notFound('PROMISE.NOT_FOUND', `There is no promise '${promiseId}' in force`);
    }
    const { places } = await this.places.state();
    const names = new Map([...places.values()].map((p) => [p.placeId, p.name]));
    return residentsPromise(commitmentTimeline(doc, credits, reportRange(doc, this.clock)), names);
  }
}
