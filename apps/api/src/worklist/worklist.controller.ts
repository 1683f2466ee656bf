import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { mayRead } from '@samverkan/domain/access-policy/access-policy';
import type { AgencyCode, Role } from '@samverkan/domain/agencies/agencies';
import { isoWeekOf, swedishDate, type IsoWeek, type LocalDate } from '@samverkan/domain/calendar';
import { LEGAL_GROUND_TEXT } from '@samverkan/domain/prevention-talks/prevention-talks.events';
import { blurredCount, type ShownCount } from '@samverkan/domain/small-counts';
import { commitmentTimelineProjection } from '@samverkan/projections/commitment-timeline/commitment-timeline.projection';
import { partnershipWorkProjection } from '@samverkan/projections/partnership-work/partnership-work.projection';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { situationPictureProjection } from '@samverkan/projections/situation-picture/situation-picture.projection';
import type { Clock } from '@samverkan/shared/clock';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { checkPurpose, ReadAccessLog } from '../access/read-access-log';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { CLOCK } from '../commands/request-meta';
import { placeName } from '../lists/areas';
import { findingDecision, presentFinding, type FindingListItem } from '../lists/finding-rows';
import { LIST_QUERY_DOCS } from '../lists/list-docs';
import { ListQuery, type RawQuery } from '../lists/list-query';
import { PlacesRegister } from '../places/places-register';
import { READ_MODELS } from '../projections/read-models.token';
import { awaitPosition } from '../projections/read-your-writes';
import {
  assignedFindings,
  commitmentsBehind,
  dueFollowUps,
  estPlacesWithoutCount,
  unknownPlaces,
  type CommitmentBehind,
  type UnknownPlace,
} from './worklist-queries';

export interface TalkFollowUpDue {
  readonly talkId: string;
  readonly responsibleAgency: AgencyCode;
  readonly dueOn: LocalDate;
  readonly overdue: boolean;
}

export interface Worklist {
  readonly agency: AgencyCode;
  readonly role: Role;
  readonly today: LocalDate;
  readonly week: IsoWeek;
  /** Open findings your agency is to put right, oldest first (at most 100; `total` says all). */
  readonly findings: { readonly items: readonly FindingListItem[]; readonly total: number };
  /**
   * Agreed follow-ups your agency answers for, due within 14 days or overdue, of talks not
   * closed that you take part in (your agency in your role). Listed only with `?purpose=`:
   * each talk's read is logged; without it they are counted in `talkFollowUpsDueUnlisted`.
   */
  readonly talkFollowUpsDue: readonly TalkFollowUpDue[];
  readonly talkFollowUpsDueUnlisted: number;
  /** Such follow-ups in talks you do not take part in: only a count, 1–4 blurred. */
  readonly otherTalkFollowUpsDue: ShownCount;
  readonly commitmentsBehind: readonly CommitmentBehind[];
  /** Places your agency reports EST counts for with no count of yours this ISO week. */
  readonly estPlacesWithoutCount: readonly {
    readonly placeId: string;
    readonly name: string;
    readonly week: IsoWeek;
  }[];
  /** For the municipality's safety coordinator, who keeps the places register. */
  readonly unknownPlaces?: {
    readonly items: readonly UnknownPlace[];
    readonly total: number;
    readonly restrictedNotShown: ShownCount;
  };
}

/** What the signed-in user's agency, in the user's role, has to do now. */
@ApiTags('worklist')
@ApiBearerAuth('bearer')
@Controller('worklist')
export class WorklistController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly daemon: ProjectionDaemon,
    private readonly readAccess: ReadAccessLog,
    private readonly places: PlacesRegister,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "Your agency's open findings, talk follow-ups due, commitments behind their cadence, EST places without this week's count, and (for the safety coordinator) places the register does not know",
  })
  @ApiQuery({
    ...LIST_QUERY_DOCS.purpose,
    description:
      'Lists the follow-ups of talks you take part in (each talk’s read is logged); without it they are only counted',
  })
  @ApiQuery(LIST_QUERY_DOCS.waitFor)
  async worklist(
    @Req() req: AuthenticatedRequest,
    @Query() raw: RawQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Worklist> {
    const reader = req.actor!;
    const q = new ListQuery(raw, ['purpose', 'waitFor']);
    const purposeGiven = q.text('purpose');
    const waitFor = q.position('waitFor');
    q.check();
    const purpose = purposeGiven === undefined ? undefined : checkPurpose(purposeGiven);
    for (const projection of [
      partnershipWorkProjection,
      commitmentTimelineProjection,
      situationPictureProjection,
    ]) {
      await awaitPosition(this.daemon, projection.name, waitFor);
    }
    const today = swedishDate(this.clock.now());
    const week = isoWeekOf(today);
    const register = await this.places.state();
    const coordinator = reader.agency === 'municipality' && reader.role === 'safety-coordinator';
    // One snapshot for every section: a finding addressed meanwhile is in none or all.
    const read = await this.readModels.transaction('REPEATABLE READ', async (tx) => ({
      findings: await assignedFindings(tx, reader),
      followUps: await dueFollowUps(tx, reader.agency, today),
      behind: mayRead(reader, { kind: 'citizen-promise' }).allowed
        ? await commitmentsBehind(tx, reader.agency, today)
        : [],
      est: await estPlacesWithoutCount(tx, reader.agency, week),
      unknown: coordinator ? await unknownPlaces(tx, [...register.places.keys()]) : undefined,
    }));

    const due: TalkFollowUpDue[] = [];
    let unlisted = 0;
    let others = 0;
    const logged = new Set<string>();
    for (const f of read.followUps) {
      const decision = mayRead(reader, { kind: 'prevention-talk', participants: f.participants });
      if (!decision.allowed) {
        others += 1;
        continue;
      }
      if (purpose === undefined) {
        unlisted += 1;
        continue;
      }
      // No log, no data: each talk named here is a read of it, logged once before it leaves.
      if (!logged.has(f.talk_id)) {
        await this.readAccess.record(
          reader,
          req.correlationId!,
          `prevention-talk-${f.talk_id}`,
          'prevention-talk',
          decision,
          purpose,
          LEGAL_GROUND_TEXT[f.legal_basis],
        );
        logged.add(f.talk_id);
      }
      due.push({
        talkId: f.talk_id,
        responsibleAgency: reader.agency,
        dueOn: f.due_on,
        overdue: f.due_on < today,
      });
    }
    if (logged.size > 0) res.setHeader('Cache-Control', 'no-store');

    return {
      agency: reader.agency,
      role: reader.role,
      today,
      week,
      findings: {
        items: read.findings.rows
          .filter((r) => findingDecision(reader, r).allowed)
          .map((r) => presentFinding(r)),
        total: read.findings.total,
      },
      talkFollowUpsDue: due,
      talkFollowUpsDueUnlisted: unlisted,
      otherTalkFollowUpsDue: blurredCount(others),
      commitmentsBehind: read.behind,
      estPlacesWithoutCount: read.est.map((placeId) => ({
        placeId,
        name: placeName(register, placeId),
        week,
      })),
      ...(read.unknown
        ? {
            unknownPlaces: {
              items: read.unknown.items,
              total: read.unknown.total,
              restrictedNotShown: blurredCount(read.unknown.restrictedNotShown),
            },
          }
        : {}),
    };
  }
}
