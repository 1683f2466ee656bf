import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { notFound } from '@samverkan/domain/domain-error';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { mayFetchWithheld } from '@samverkan/integration/claim-check/withheld-access';
import { WithheldContentReader } from '@samverkan/integration/claim-check/withheld-content';
import { ReadAccessLog } from '../access/read-access-log';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';

export class WithheldPersonalData {
  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ example: 'prevention-talk-t-17' })
  streamId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'By the path the message listed in `withheld`: the text, or `[raderad]` (erased), `[borttagen vid rättelse]` (redacted by a correction), `[gallrad]` (retention ended)',
    example: { outcome: 'Eleven följs upp av kuratorn', 'agreedFollowUp[0].action': 'Hembesök' },
  })
  fields!: Record<string, string>;
}

/**
 * The other half of the feed's claim check: messages carry `null` for each personal field and
 * this route (their `dataref`) serves the fields to an agency system that may receive the event
 * on the feed, decided as the relay routes it. Content is revealed only after the decision, and
 * a restricted read is logged first: no log, no data.
 */
@ApiTags('subscriptions')
@ApiBearerAuth('bearer')
@ApiSecurity('api-key')
@Controller('events')
export class ClaimCheckController {
  private readonly withheld: WithheldContentReader;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    private readonly readAccess: ReadAccessLog,
  ) {
    this.withheld = new WithheldContentReader(store);
  }

  @Get(':eventId/personal-data')
  @ApiOperation({
    summary:
      "The personal fields a feed message withheld (its `dataref`), for an agency that may receive the event on the feed (its system's API key); 404 alike for an unknown event and one the caller may not receive",
  })
  @ApiQuery({
    name: 'purpose',
    required: false,
    description:
      'Why you read it (logged): required for restricted events (prevention talks, restricted reports)',
  })
  @ApiOkResponse({ type: WithheldPersonalData })
  async withheldFields(
    @Req() req: AuthenticatedRequest,
    @Param('eventId') eventId: string,
    @Query('purpose') purpose: unknown,
  ): Promise<WithheldPersonalData> {
    const reader = req.actor!;
    const found = await this.withheld.find(eventId);
    const decision = found ? mayFetchWithheld(reader, found) : undefined;
    // One answer for "no such event" and "not yours": an outsider cannot tell an id exists.
    if (!found || !decision || !found.audienceNow) {
      throw notFound(
        'EVENT.NOT_FOUND',
        `There is no event '${eventId}' whose personal data you may read`,
      );
    }
    await this.readAccess.record(
      reader,
      req.correlationId!,
      found.streamId,
      found.audienceNow.kind,
      decision,
      purpose,
      found.legalGround,
    );
    return {
      eventId: found.eventId,
      streamId: found.streamId,
      fields: await this.withheld.reveal(found.sealed),
    };
  }
}
