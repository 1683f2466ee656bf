import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { estPrecision, mayRead } from '@samverkan/domain/access-policy/access-policy';
import {
  addDays,
  addWeeks,
  isoWeekOf,
  isoWeekStart,
  swedishDate,
} from '@samverkan/domain/calendar';
import { forbidden } from '@samverkan/domain/domain-error';
import { areaIdOf } from '@samverkan/domain/follow-up/board-report';
import {
  estSummary,
  foldEstCounts,
  type EstCountRecord,
  type EstSummary,
} from '@samverkan/domain/situation-picture/est-summary';
import {
  EST_COUNTS_EVENT_TYPES,
  type EstCountsEvent,
} from '@samverkan/domain/situation-picture/est.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { partnershipWorkProjection } from '@samverkan/projections/partnership-work/partnership-work.projection';
import type { Clock } from '@samverkan/shared/clock';
import type { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { CLOCK } from '../commands/request-meta';
import { PlacesRegister } from '../places/places-register';
import { AS_OF_DESCRIPTION, asOfFilter } from '../projections/as-of';
import { READ_MODELS } from '../projections/read-models.token';
import { awaitPosition } from '../projections/read-your-writes';
import { placeName, placesInArea } from './areas';
import { LIST_QUERY_DOCS } from './list-docs';
import { ListQuery, type RawQuery } from './list-query';

/** Weeks shown when the caller names none: the last twelve, this one included. */
const DEFAULT_WEEKS = 12;
/** The trend compares the last four weeks with the four before: eight weeks of counts. */
const TREND_WEEKS = 8;

export interface EstPicture extends EstSummary {
  readonly areas: readonly { readonly areaId: string; readonly name: string }[];
  /** Echoed when asked for: the counts as they had been reported then. */
  readonly asOf?: string;
}

@ApiTags('situation picture')
@ApiBearerAuth('bearer')
@Controller('situation-picture')
export class EstPictureController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly daemon: ProjectionDaemon,
    private readonly places: PlacesRegister,
  ) {}

  @Get('est')
  @ApiOperation({
    summary:
      'The EST picture: counts per ISO week, area and category, and the trend (last 4 weeks against the 4 before, ±25 %). Partners see exact figures; an agency that reports EST without being a partner sees 1–4 as "fewer than 5".',
  })
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'ISO week YYYY-Www (default: 11 weeks before to)',
  })
  @ApiQuery({ name: 'to', required: false, description: 'ISO week YYYY-Www (default: this week)' })
  @ApiQuery({ name: 'areaId', required: false, description: 'Only this area of the register' })
  @ApiQuery(LIST_QUERY_DOCS.waitFor)
  @ApiQuery({ name: 'asOf', required: false, description: AS_OF_DESCRIPTION })
  async picture(@Req() req: AuthenticatedRequest, @Query() raw: RawQuery): Promise<EstPicture> {
    const reader = req.actor!;
    const q = new ListQuery(raw, ['from', 'to', 'areaId', 'waitFor', 'asOf']);
    const fromGiven = q.week('from');
    const toGiven = q.week('to');
    const areaId = q.slug('areaId');
    const waitFor = q.position('waitFor');
    const asOf = q.text('asOf');
    q.check();
    const known = asOf === undefined ? undefined : asOfFilter(asOf);
    const toWeek = toGiven ?? isoWeekOf(swedishDate(this.clock.now()));
    const fromWeek = fromGiven ?? addWeeks(toWeek, -(DEFAULT_WEEKS - 1));
    const first = isoWeekStart(fromWeek)!;
    const last = isoWeekStart(toWeek)!;
    q.span(first, addDays(last, 6));
    q.check();
    const register = await this.places.state();
    const inArea = areaId === undefined ? undefined : placesInArea(register, areaId);
    await awaitPosition(this.daemon, partnershipWorkProjection.name, waitFor);
    await this.assertMayRead(req);

    const trendFirst = isoWeekStart(addWeeks(toWeek, -(TREND_WEEKS - 1)))!;
    const since = first < trendFirst ? first : trendFirst;
    const rows =
      known === undefined
        ? await this.readModels.query<EstCountRecord[]>(
            `select place_id as "placeId", week, reporting_agency as "reportingAgency", counts
               from projections.est_counts
              where week_start between $1::date and $2::date
                ${inArea === undefined ? '' : 'and place_id = any($3::text[])'}`,
            inArea === undefined ? [since, last] : [since, last, inArea],
          )
        : (await this.fromLog(known)).filter(
            (r) => inArea === undefined || inArea.includes(r.placeId),
          );
    const summary = estSummary(
      rows,
      (placeId) => areaIdOf(register, placeId),
      fromWeek,
      toWeek,
      estPrecision(reader),
    );
    const areaIds = [...new Set([...summary.weeks, ...summary.trends].map((x) => x.areaId))].sort();
    return {
      ...summary,
      areas: areaIds.map((id) => ({ areaId: id, name: placeName(register, id) })),
      ...(asOf === undefined ? {} : { asOf }),
    };
  }

  /** The counts as they had been reported by then, folded from the log (weeks out of range are left out by the summary). */
  private async fromLog(known: ReturnType<typeof asOfFilter>): Promise<EstCountRecord[]> {
    const events: EstCountsEvent[] = [];
    for await (const e of this.store.readAll({ filter: { types: [...EST_COUNTS_EVENT_TYPES] } })) {
      if (known(e)) events.push({ type: e.type, data: e.data } as unknown as EstCountsEvent);
    }
    return foldEstCounts(events);
  }

  /**
   * Partners read the picture (the access policy's `est-counts`). An agency outside the
   * partnership that reports EST (a housing company) reads it too, blurred (`estPrecision`):
   * it counts for the picture and should see what its counts go into. Others are refused;
   * the picture's existence is no secret, so a plain 403 gives nothing away.
   */
  private async assertMayRead(req: AuthenticatedRequest): Promise<void> {
    const reader = req.actor!;
    const decision = mayRead(reader, { kind: 'est-counts' });
    if (decision.allowed) return;
    const [reporter] = await this.readModels.query<unknown[]>(
      `select 1 from projections.est_reporters where agency = $1 and assigned limit 1`,
      [reader.agency],
    );
    if (!reporter) throw forbidden('ACCESS.NEED_TO_KNOW', decision.reason);
  }
}
