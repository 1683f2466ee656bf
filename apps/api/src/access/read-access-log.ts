import { Inject, Injectable } from '@nestjs/common';
import type { ReadDecision } from '@samverkan/domain/access-policy/access-policy';
import type { Actor } from '@samverkan/domain/actor';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { Clock } from '@samverkan/shared/clock';
import { InvalidInputError } from '@samverkan/shared/errors';
import { CLOCK } from '../commands/request-meta';
import { READ_REFUSALS, type ReadRefusals } from '@samverkan/event-store/read-refusals.port';

/**
 * The read-access log: who read restricted or personal data, when, on what ground and for what
 * purpose (GDPR and brottsdatalagen require logging access to personal data). Each such read
 * appends an event, in a stream per day, before the data is returned: no log, no data.
 */
@Injectable()
export class ReadAccessLog {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_REFUSALS) private readonly refusals: ReadRefusals,
  ) {}

  /**
   * A signed-in user asked for restricted data they may not read (they are answered 404): kept
   * for the data protection officer of the agency that controls it.
   */
  async refused(
    reader: Actor,
    correlationId: string,
    streamId: string,
    resourceKind: string,
    controllerAgency: string,
    reason: string,
  ): Promise<void> {
    await this.refusals.record({
      readerUserId: reader.userId,
      readerAgency: reader.agency,
      readerRole: reader.role,
      streamId,
      resourceKind,
      controllerAgency,
      reason,
      correlationId,
    });
  }

  async record(
    reader: Actor,
    correlationId: string,
    streamId: string,
    resourceKind: string,
    decision: Extract<ReadDecision, { allowed: true }>,
    purpose: unknown,
    /**
     * The legal ground the data itself rests on, where it has one of its own (a prevention
     * talk: consent or 10 kap. 18 a § OSL), named by its statute as text, e.g.
     * 'samtycke (OSL 12 kap. 2 §)': the data protection officer reviewing a read must see on
     * what ground the data was shared, not only why this reader may see it (`ground`).
     */
    legalGround?: string,
  ): Promise<void> {
    if (!decision.logged) return;
    const stated = checkPurpose(purpose);
    const now = this.clock.now();
    const day = now.toISOString().slice(0, 10);
    await this.store.append(
      `read-access-${day}`,
      [
        {
          type: 'RestrictedDataRead',
          data: {
            streamId,
            resourceKind,
            ground: decision.ground,
            purpose: stated,
            ...(legalGround === undefined ? {} : { legalGround }),
          },
          occurredAt: now,
        },
      ],
      { expectedRevision: 'any', actor: reader, correlationId },
    );
  }
}

/** Purpose limitation: a read of restricted data says why, in a `purpose` query parameter. */
export function checkPurpose(purpose: unknown): string {
  // A query parameter given twice arrives as an array: that is no purpose either.
  const text = typeof purpose === 'string' ? purpose.trim() : '';
  if (text.length < 3 || text.length > 200) {
    throw new InvalidInputError('REQUEST.INVALID', [
      {
        path: 'query purpose',
        reason:
          'reading restricted data needs a purpose of 3 to 200 characters, e.g. ?purpose=SSPF-möte',
      },
    ]);
  }
  return text;
}
