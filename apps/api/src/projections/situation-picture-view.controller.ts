import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  assertMayRead,
  mayRead,
  type ReadDecision,
} from '@samverkan/domain/access-policy/access-policy';
import type { Actor } from '@samverkan/domain/actor';
import { swedishDate } from '@samverkan/domain/calendar';
import {
  SITUATION_PICTURE_EVENT_TYPES,
  SITUATION_REPORT_EVENT_TYPES,
  type SituationPictureEvent,
  type SituationReportEvent,
} from '@samverkan/domain/situation-picture/situation-picture.events';
import {
  foldSituationPicture,
  type SituationPictureRecord,
  type SituationPictureState,
  type SituationReportView,
} from '@samverkan/domain/situation-picture/situation-picture.view';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import {
  readSituationPicture,
  situationPictureProjection,
} from '@samverkan/projections/situation-picture/situation-picture.projection';
import type { DataSource } from 'typeorm';
import { ReadAccessLog } from '../access/read-access-log';
import { PlacesRegister } from '../places/places-register';
import { placeName } from '../lists/areas';
import { areaIdOf } from '@samverkan/domain/follow-up/board-report';
import type { PlacesRegisterState } from '@samverkan/domain/places/places-register.decider';
import { blurredCount } from '@samverkan/domain/small-counts';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { AS_OF_DESCRIPTION, asOfFilter } from './as-of';
import { READ_MODELS } from './read-models.token';
import { awaitPosition } from './read-your-writes';

@ApiTags('situation picture')
@ApiBearerAuth('bearer')
@Controller('situation-picture')
export class SituationPictureViewController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly daemon: ProjectionDaemon,
    private readonly readAccess: ReadAccessLog,
    private readonly places: PlacesRegister,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'The shared situation picture per area and problem area: current reports from each agency, what changed since the last partnership meeting, counts per month. Restricted reports show their content only to the agencies allowed, and only with a purpose (logged); others see that they exist.',
  })
  @ApiQuery({ name: 'area', required: false, description: 'An area id of the places register' })
  @ApiQuery({ name: 'problemArea', required: false })
  @ApiQuery({ name: 'purpose', required: false })
  @ApiQuery({ name: 'waitFor', required: false })
  @ApiQuery({ name: 'asOf', required: false, description: AS_OF_DESCRIPTION })
  async picture(
    @Req() req: AuthenticatedRequest,
    @Query('area') area?: string,
    @Query('problemArea') problemArea?: string,
    @Query('purpose') purpose?: string,
    @Query('waitFor') waitFor?: string,
    @Query('asOf') asOf?: string,
  ) {
    const reader = req.actor!;
    assertMayRead(reader, { kind: 'situation-picture' });
    let state: SituationPictureState;
    let now: ReadonlyMap<string, SituationReportView> | undefined;
    await awaitPosition(this.daemon, situationPictureProjection.name, waitFor);
    if (asOf === undefined) {
      state = await this.readModels.transaction('REPEATABLE READ', (tx) =>
        readSituationPicture(tx),
      );
    } else {
      state = await this.fromLog(asOf);
      // A report later made restricted (say, because it could identify someone) stays so for
      // its past too: access follows the stricter of then and now.
      now = new Map(
        (
          await this.readModels.transaction('REPEATABLE READ', (tx) => readSituationPicture(tx))
        ).reports.map((r) => [r.reportId, r]),
      );
    }
    const places = await this.places.state();
    const view = await presentSituationPicture(
      state,
      reader,
      { area, problemArea, purpose, now, places },
      (id, decision) =>
        this.readAccess.record(
          reader,
          req.correlationId!,
          `situation-report-${id}`,
          'situation-report',
          decision,
          purpose,
        ),
    );
    return asOf === undefined ? view : { asOf, ...view };
  }

  /** The picture as it stood at `asOf`, folded from the log (not from the read model). */
  private async fromLog(asOf: string): Promise<SituationPictureState> {
    const known = asOfFilter(asOf);
    const records: SituationPictureRecord[] = [];
    for await (const e of this.store.readAll({
      filter: { types: [...SITUATION_REPORT_EVENT_TYPES, ...SITUATION_PICTURE_EVENT_TYPES] },
    })) {
      if (!known(e)) continue;
      records.push({
        streamId: e.streamId,
        recordedAt: e.recordedAt,
        event: { type: e.type, data: e.data } as unknown as
          SituationReportEvent | SituationPictureEvent,
      });
    }
    return foldSituationPicture(records);
  }
}

type Allowed = Extract<ReturnType<typeof mayRead>, { allowed: true }>;

/**
 * What a reader sees of the picture: every current report grouped by area and problem area;
 * content only where the access policy allows it (and, for restricted reports, with a purpose
 * that is logged before the content is returned); small counts blurred.
 */
export async function presentSituationPicture(
  state: SituationPictureState,
  reader: Actor,
  query: {
    area?: string;
    problemArea?: string;
    purpose?: string;
    /** The reports as they stand now, for an "as of" view: the stricter access of the two. */
    now?: ReadonlyMap<string, SituationReportView>;
    /** The places register: reports are grouped by the area their first place lies in. */
    places: PlacesRegisterState;
  },
  logRead: (reportId: string, decision: Allowed) => Promise<void>,
) {
  const last = state.confirmations[state.confirmations.length - 1];
  const areaOfReport = (r: SituationReportView) => areaIdOf(query.places, r.placeIds[0]);
  const current = state.reports
    .filter((r) => r.status === 'reported')
    .filter((r) => query.area === undefined || areaOfReport(r) === query.area)
    .filter((r) => query.problemArea === undefined || r.problemArea === query.problemArea)
    .sort(
      (a, b) =>
        cmp(areaOfReport(a), areaOfReport(b)) ||
        cmp(a.problemArea, b.problemArea) ||
        a.reportedAt.getTime() - b.reportedAt.getTime(),
    );
  const lastMeeting = last?.meetingOn ?? null;
  const groups = new Map<
    string,
    { areaId: string; areaName: string; problemArea: string; reports: unknown[]; notShown: number }
  >();
  const readable = new Set<string>();
  const nameOf = (placeId: string) => placeName(query.places, placeId);
  for (const r of current) {
    const decision = stricter(
      [r, query.now?.get(r.reportId)].map((version) =>
        version
          ? mayRead(reader, {
              kind: 'situation-report',
              reportingAgency: version.reportingAgency,
              sensitivity: version.sensitivity,
              sharedWith: version.sharedWith,
            })
          : undefined,
      ),
    );
    const areaId = areaOfReport(r);
    const key = `${areaId}\u0000${r.problemArea}`;
    const group = groups.get(key) ?? {
      areaId,
      areaName: nameOf(areaId),
      problemArea: r.problemArea,
      reports: [],
      notShown: 0,
    };
    groups.set(key, group);
    // A reader who may not read a report learns only that there are some, per area and problem
    // area, blurred: no id, reporter, date or revision of it.
    if (!decision.allowed) {
      group.notShown += 1;
      continue;
    }
    readable.add(r.reportId);
    let content: Record<string, unknown> | null = null;
    let note: string | undefined;
    if (!decision.logged || query.purpose) {
      if (decision.logged) await logRead(r.reportId, decision);
      content = {
        places: r.placeIds.map((placeId) => ({ placeId, name: nameOf(placeId) })),
        ...(r.unresolvedPlace !== undefined ? { unresolvedPlace: r.unresolvedPlace } : {}),
        period: r.period,
        trend: r.trend,
        severity: r.severity,
        description: r.description,
        source: r.source,
      };
    } else {
      note =
        'restricted: add ?purpose= to see the content your agency may read (the read is logged)';
    }
    group.reports.push({
      reportId: r.reportId,
      reportingAgency: r.reportingAgency,
      sensitivity: r.sensitivity,
      reportedAt: r.reportedAt,
      changedAt: r.changedAt,
      changedSinceLastMeeting: lastMeeting === null || swedishDate(r.changedAt) > lastMeeting,
      content,
      ...(note ? { note } : {}),
    });
  }
  const counts = new Map<
    string,
    { month: string; areaId: string; problemArea: string; n: number }
  >();
  // Only reports the reader may read: a month beside a hidden report would date it.
  for (const r of state.reports.filter(
    (x) => x.status === 'reported' && readable.has(x.reportId),
  )) {
    const month = r.period.from.slice(0, 7);
    const areaId = areaOfReport(r);
    const key = `${month}\u0000${areaId}\u0000${r.problemArea}`;
    const c = counts.get(key) ?? { month, areaId, problemArea: r.problemArea, n: 0 };
    c.n += 1;
    counts.set(key, c);
  }
  return {
    lastMeeting: last
      ? { confirmationId: last.confirmationId, meetingOn: last.meetingOn, period: last.period }
      : null,
    areas: [...groups.values()].map(({ notShown, ...group }) => ({
      ...group,
      ...(notShown > 0 ? { restrictedNotShown: blurredCount(notShown) } : {}),
    })),
    countsByMonth: [...counts.values()]
      .sort(
        (a, b) =>
          cmp(a.month, b.month) || cmp(a.areaId, b.areaId) || cmp(a.problemArea, b.problemArea),
      )
      .map((c) => ({
        month: c.month,
        areaId: c.areaId,
        problemArea: c.problemArea,
        reports: blurredCount(c.n),
      })),
  };
}

/** Allowed only if every decision allows; logged if any is. */
function stricter(decisions: (ReadDecision | undefined)[]): ReadDecision {
  const known = decisions.filter((d): d is ReadDecision => d !== undefined);
  const denied = known.find((d) => !d.allowed);
  if (denied) return denied;
  return known.find((d) => d.allowed && d.logged) ?? known[0]!;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
