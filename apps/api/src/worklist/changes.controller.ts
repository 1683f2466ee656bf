import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { mayRead } from '@samverkan/domain/access-policy/access-policy';
import type { Actor } from '@samverkan/domain/actor';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { VISITS, type Visits } from '@samverkan/event-store/visits.port';
import { InvalidInputError } from '@samverkan/shared/errors';
import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { StreamAudiences } from '../live/stream-audiences';

/** At most this many of the newest events are looked through for one answer. */
export const CHANGES_LOOKED_THROUGH = 5000;
/** At most this many changes are listed (`total` counts them all). */
const LISTED = 50;

export class Change {
  @ApiProperty() position!: number;
  @ApiProperty({ example: 'FindingReported' }) type!: string;
  @ApiProperty({ example: 'finding-4f1c…' }) streamId!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ description: 'The agency whose user made the change' }) agency!: string;
}

export class LastVisitDto {
  @ApiProperty() seenThrough!: number;
  @ApiProperty() at!: string;
}

export class ChangesSinceLastVisit {
  @ApiPropertyOptional({
    type: LastVisitDto,
    nullable: true,
    description: 'Null on a first visit: the newest changes are listed',
  })
  lastVisit!: LastVisitDto | null;
  @ApiProperty({ description: 'The log position the answer reaches: mark seen through this' })
  headPosition!: number;
  @ApiProperty({ type: [Change], description: 'Newest first, at most 50' })
  changes!: Change[];
  @ApiProperty({ description: 'All changes since the last visit that you may know of' })
  total!: number;
  @ApiProperty({
    description: `True when more than ${CHANGES_LOOKED_THROUGH} events were recorded since: older ones are not counted`,
  })
  partial!: boolean;
}

export class MarkSeenDto {
  @ApiProperty({ description: 'The headPosition of the changes shown' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  through!: number;
}

/**
 * What changed since the user's last visit: the events after the position they last marked as
 * seen that they may know of (the live stream's rule, asked per event), their own left out.
 * Only what kind of change, where and when: never what it says, so nothing restricted is shown.
 */
@ApiTags('worklist')
@ApiBearerAuth('bearer')
@Controller('worklist/changes')
export class ChangesController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VISITS) private readonly visits: Visits,
  ) {}

  @Get()
  @ApiOperation({ summary: 'What changed since your last visit (the changes you may know of)' })
  @ApiOkResponse({ type: ChangesSinceLastVisit })
  async changes(@Req() req: AuthenticatedRequest): Promise<ChangesSinceLastVisit> {
    const reader = req.actor!;
    const [{ headPosition }, lastVisit] = await Promise.all([
      this.store.status(),
      this.visits.lastVisit(reader.agency, reader.userId),
    ]);
    const since = Math.min(lastVisit?.seenThrough ?? 0, headPosition);
    const from = Math.max(since, headPosition - CHANGES_LOOKED_THROUGH);
    const audiences = new StreamAudiences(this.store);
    const newest: Change[] = [];
    let total = 0;
    // Sealed: only the type, stream and audience are read, nothing personal is decrypted.
    for await (const event of this.store.readAll({ after: from, personalData: 'sealed' })) {
      if (event.globalPosition > headPosition) break;
      const audience = await audiences.of(event);
      if (audience === null || !mayRead(reader, audience).allowed) continue;
      if (ownChange(reader, event.actor)) continue;
      total += 1;
      newest.push({
        position: event.globalPosition,
        type: event.type,
        streamId: event.streamId,
        recordedAt: event.recordedAt.toISOString(),
        agency: event.actor.agency,
      });
      if (newest.length > LISTED) newest.shift();
    }
    return {
      lastVisit: lastVisit
        ? { seenThrough: lastVisit.seenThrough, at: lastVisit.at.toISOString() }
        : null,
      headPosition,
      changes: newest.reverse(),
      total,
      partial: from > since,
    };
  }

  @Post('seen')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark the changes as seen through a position (your visit; it never moves back)',
  })
  @ApiOkResponse({ type: LastVisitDto })
  async markSeen(
    @Req() req: AuthenticatedRequest,
    @Body() body: MarkSeenDto,
  ): Promise<LastVisitDto> {
    const reader = req.actor!;
    const { headPosition } = await this.store.status();
    if (body.through > headPosition) {
      throw new InvalidInputError('VISIT.BEYOND_HEAD', [
        { path: 'through', reason: `must not be beyond the log's head (${headPosition})` },
      ]);
    }
    const visit = await this.visits.markSeen(reader.agency, reader.userId, body.through);
    return { seenThrough: visit.seenThrough, at: visit.at.toISOString() };
  }
}

const ownChange = (reader: Actor, actor: { readonly userId: string; readonly agency: string }) =>
  actor.userId === reader.userId && actor.agency === reader.agency;
