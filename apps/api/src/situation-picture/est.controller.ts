import { Body, Controller, Get, Inject, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { assertMayRead } from '@samverkan/domain/access-policy/access-policy';
import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import { addWeeks, isoWeekOf, swedishDate, type IsoWeek } from '@samverkan/domain/calendar';
import {
  countKey,
  estPlaceDecider,
  estReportersDecider,
} from '@samverkan/domain/situation-picture/est.decider';
import {
  estPlaceStream,
  estReportersStream,
  type EstCounts,
} from '@samverkan/domain/situation-picture/est.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { Clock } from '@samverkan/shared/clock';
import { partnershipId } from '../agencies/partnership.command-handler';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { loadStream } from '../commands/decider-runner';
import { CLOCK, commandMeta } from '../commands/request-meta';
import { WriteResult } from '../commands/write-result';
import { placeName } from '../lists/areas';
import { PlacesRegister } from '../places/places-register';
import { HandleEstCountsCommand, HandleEstReportersCommand } from './est.command-handler';
import {
  AssignEstReporterDto,
  CorrectEstCountsDto,
  ReportEstCountsDto,
  UnassignEstReporterDto,
} from './est.dto';

/** Weeks the reporting form shows of an agency's own counts: this one and the 7 before. */
const OWN_WEEKS = 8;

export interface OwnEstCounts {
  readonly agency: AgencyCode;
  /** This ISO week, in Swedish time. */
  readonly week: IsoWeek;
  readonly places: readonly {
    readonly placeId: string;
    readonly name: string;
    /** This week first; `counts` null where the agency has not reported the week. */
    readonly weeks: readonly { readonly week: IsoWeek; readonly counts: EstCounts | null }[];
  }[];
}

/**
 * EST (effektiv samordning för trygghet): the safety coordinator assigns reporters to places,
 * and each reports weekly counts per place against the checklist. The weekly picture is at
 * GET /situation-picture/est.
 */
@ApiTags('situation picture')
@ApiBearerAuth('bearer')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
@Controller('est')
export class EstController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly places: PlacesRegister,
  ) {}

  private run(message: object): Promise<WriteResult> {
    return this.commands.execute<object, WriteResult>(message);
  }

  @Post('reporters')
  @ApiOperation({ summary: 'Assign an agency to report EST counts for a place (coordinator)' })
  @ApiCreatedResponse({ type: WriteResult })
  assign(
    @Req() req: AuthenticatedRequest,
    @Body() body: AssignEstReporterDto,
  ): Promise<WriteResult> {
    const meta = commandMeta(req, this.clock);
    return this.run(
      new HandleEstReportersCommand(
        { type: 'AssignEstReporter', by: meta.actor, at: meta.at, ...body },
        meta,
      ),
    );
  }

  @Post('reporters/removal')
  @ApiOperation({ summary: 'Stop an agency reporting EST counts for a place, with a reason' })
  @ApiCreatedResponse({ type: WriteResult })
  unassign(
    @Req() req: AuthenticatedRequest,
    @Body() body: UnassignEstReporterDto,
  ): Promise<WriteResult> {
    const meta = commandMeta(req, this.clock);
    return this.run(
      new HandleEstReportersCommand(
        { type: 'UnassignEstReporter', by: meta.actor, at: meta.at, ...body },
        meta,
      ),
    );
  }

  @Get('reporters')
  @ApiOperation({ summary: 'Which agencies report EST counts for which places' })
  async reporters(
    @Req() req: AuthenticatedRequest,
  ): Promise<{ placeId: string; agencies: readonly AgencyCode[] }[]> {
    assertMayRead(req.actor!, { kind: 'est-counts' });
    const { state } = await loadStream(
      this.store,
      estReportersDecider,
      estReportersStream(partnershipId()),
    );
    return [...state.assignments]
      .filter(([, agencies]) => agencies.length > 0)
      .map(([placeId, agencies]) => ({ placeId, agencies }))
      .sort((a, b) => (a.placeId < b.placeId ? -1 : 1));
  }

  @Get('counts/own')
  @ApiOperation({
    summary:
      "Your agency's own EST counts at the places it reports for, this ISO week and the 7 before (null where it has not reported): what the reporting form shows as missing and corrects",
  })
  async ownCounts(@Req() req: AuthenticatedRequest): Promise<OwnEstCounts> {
    const agency = req.actor!.agency;
    const week = isoWeekOf(swedishDate(this.clock.now()));
    const weeks = Array.from({ length: OWN_WEEKS }, (_, i) => addWeeks(week, -i));
    const { state } = await loadStream(
      this.store,
      estReportersDecider,
      estReportersStream(partnershipId()),
    );
    const placeIds = [...state.assignments]
      .filter(([, agencies]) => agencies.includes(agency))
      .map(([placeId]) => placeId)
      .sort();
    const register = await this.places.state();
    const places: OwnEstCounts['places'][number][] = [];
    // An agency reads only its own counts here: others' are the picture's, read there.
    for (const placeId of placeIds) {
      const { state: place } = await loadStream(
        this.store,
        estPlaceDecider,
        estPlaceStream(placeId),
      );
      places.push({
        placeId,
        name: placeName(register, placeId),
        weeks: weeks.map((w) => ({
          week: w,
          counts: place.counts.get(countKey(w, agency)) ?? null,
        })),
      });
    }
    return { agency, week, places };
  }

  @Post('counts')
  @ApiOperation({
    summary: "Report one ISO week's EST counts for a place (an agency assigned to it)",
  })
  @ApiCreatedResponse({ type: WriteResult })
  report(@Req() req: AuthenticatedRequest, @Body() body: ReportEstCountsDto): Promise<WriteResult> {
    const meta = commandMeta(req, this.clock);
    return this.run(
      new HandleEstCountsCommand(
        body.placeId,
        {
          type: 'ReportEstCounts',
          by: meta.actor,
          at: meta.at,
          placeId: body.placeId,
          week: body.week,
          counts: { ...body.counts },
        },
        meta,
      ),
    );
  }

  @Post('counts/corrections')
  @ApiOperation({ summary: "Correct your agency's counts for a week, with a reason" })
  @ApiCreatedResponse({ type: WriteResult })
  correct(
    @Req() req: AuthenticatedRequest,
    @Body() body: CorrectEstCountsDto,
  ): Promise<WriteResult> {
    const meta = commandMeta(req, this.clock);
    return this.run(
      new HandleEstCountsCommand(
        body.placeId,
        {
          type: 'CorrectEstCounts',
          by: meta.actor,
          at: meta.at,
          placeId: body.placeId,
          week: body.week,
          counts: { ...body.counts },
          reason: body.reason,
        },
        meta,
      ),
    );
  }
}
