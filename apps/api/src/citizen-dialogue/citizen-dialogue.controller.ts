import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import {
  acceptedReport,
  assertMayHandleCitizenDialogue,
  isUnsafeCategory,
  type UnsafeCategory,
} from '@samverkan/domain/citizen-dialogue/unsafe-places';
import { notFound } from '@samverkan/domain/domain-error';
import {
  CITIZEN_DIALOGUE_SUBMISSIONS,
  type CitizenDialogueSubmissions,
  type GroupCursor,
} from '@samverkan/event-store/citizen-dialogue.port';
import type { Clock } from '@samverkan/shared/clock';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { CLOCK, dispatch, newResourceId } from '../commands/request-meta';
import { encodeCursor, pageRequest } from '../lists/paging';
import { PlacesRegister } from '../places/places-register';
import { SlugPipe } from '../problems/slug.pipe';
import { HandleSituationReportCommand } from '../situation-picture/situation-picture.command-handler';
import {
  AcceptedSubmissions,
  AcceptSubmissionsDto,
  RejectedSubmissions,
  SubmissionGroupPage,
} from './citizen-dialogue.dto';

const PLACE = { name: 'placeId', description: 'The place of the group' } as const;
const CATEGORY = { name: 'category', description: 'The category of the group' } as const;

/**
 * The safety coordinator's side of "Här känner jag mig otrygg": the waiting submissions, grouped
 * by place and category, and for each group either acceptance into the situation picture (a
 * report with source citizen dialogue, through the situation picture's own command path: only
 * then an event) or rejection. Either way the submissions are deleted.
 */
@ApiTags('citizen dialogue')
@ApiBearerAuth('bearer')
@ApiForbiddenResponse({ description: "Only the municipality's safety coordinator" })
@Controller('citizen-dialogue/submissions')
export class CitizenDialogueController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CITIZEN_DIALOGUE_SUBMISSIONS) private readonly submissions: CitizenDialogueSubmissions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly places: PlacesRegister,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Waiting submissions grouped by place and category with a count, the most recently received first (the safety coordinator)',
  })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 100, default 25' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the page before' })
  @ApiOkResponse({ type: SubmissionGroupPage })
  async waiting(
    @Req() req: AuthenticatedRequest,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<SubmissionGroupPage> {
    assertMayHandleCitizenDialogue(req.actor!);
    const page = pageRequest({ limit, cursor });
    const after =
      page.after && page.after.length === 3 && page.after.every((k) => typeof k === 'string')
        ? (page.after as unknown as GroupCursor)
        : null;
    const groups = await this.submissions.waiting(page.limit + 1, after);
    const shown = groups.slice(0, page.limit);
    const { places } = await this.places.state();
    const last = shown[shown.length - 1];
    return {
      items: shown.map((g) => ({
        ...g,
        category: g.category as UnsafeCategory,
        placeName: places.get(g.placeId)?.name ?? g.placeId,
      })),
      nextCursor:
        groups.length > page.limit && last
          ? encodeCursor([last.lastReceivedOn, last.placeId, last.category])
          : null,
    };
  }

  @Post(':placeId/:category/acceptance')
  @ApiOperation({
    summary:
      "Accept a place's submissions of a category into the situation picture: a report of the coordinator's, source citizen dialogue, completed here; the submissions are deleted",
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes' })
  @ApiParam(PLACE)
  @ApiParam(CATEGORY)
  @ApiCreatedResponse({ type: AcceptedSubmissions })
  @ApiNotFoundResponse({ description: 'None of that place and category waits' })
  async accept(
    @Req() req: AuthenticatedRequest,
    @Param('placeId', SlugPipe) placeId: string,
    @Param('category', SlugPipe) category: string,
    @Body() body: AcceptSubmissionsDto,
  ): Promise<AcceptedSubmissions> {
    assertMayHandleCitizenDialogue(req.actor!);
    const claim = isUnsafeCategory(category)
      ? await this.submissions.claim(placeId, category)
      : undefined;
    if (!claim) throw nothingWaiting(placeId, category);
    const reportId = body.reportId ?? newResourceId(req);
    try {
      const result = await dispatch(
        this.commands,
        req,
        this.clock,
        acceptedReport(claim, { ...body, reportId }),
        (full, meta) => new HandleSituationReportCommand(reportId, full, meta),
        reportId,
      );
      const accepted = await this.submissions.remove(claim.claimId);
      return { ...result, id: reportId, accepted };
    } catch (error) {
      // Refused (a period in the future, a description with an identity number): they wait on.
      await this.submissions.release(claim.claimId);
      throw error;
    }
  }

  @Post(':placeId/:category/rejection')
  @HttpCode(200)
  @ApiOperation({
    summary: "Reject a place's submissions of a category: they are deleted and nothing is recorded",
  })
  @ApiParam(PLACE)
  @ApiParam(CATEGORY)
  @ApiOkResponse({ type: RejectedSubmissions })
  @ApiNotFoundResponse({ description: 'None of that place and category waits' })
  async reject(
    @Req() req: AuthenticatedRequest,
    @Param('placeId', SlugPipe) placeId: string,
    @Param('category', SlugPipe) category: string,
  ): Promise<RejectedSubmissions> {
    assertMayHandleCitizenDialogue(req.actor!);
    const rejected = isUnsafeCategory(category)
      ? await this.submissions.reject(placeId, category)
      : 0;
    if (rejected === 0) throw nothingWaiting(placeId, category);
    return { rejected };
  }
}

const nothingWaiting = (placeId: string, category: string) =>
  notFound(
    'CITIZEN_DIALOGUE.NOTHING_WAITING',
    `No submission about '${placeId}' in category '${category}' waits`,
  );
