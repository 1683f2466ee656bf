import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertMayIssue } from '@samverkan/domain/access-policy/access-policy';
import { citizenPromiseDecider } from '@samverkan/domain/citizen-promise/citizen-promise.decider';
import {
  citizenPromiseStream,
  type WorkKind,
} from '@samverkan/domain/citizen-promise/citizen-promise.events';
import { unreachable } from '@samverkan/domain/decider';
import { safetyWalkDecider } from '@samverkan/domain/safety-walks/safety-walk.decider';
import { safetyWalkStream } from '@samverkan/domain/safety-walks/safety-walks.events';
import { situationPictureDecider } from '@samverkan/domain/situation-picture/situation-picture.decider';
import { situationPictureStream } from '@samverkan/domain/situation-picture/situation-picture.events';
import { preventionTalkDecider } from '@samverkan/domain/prevention-talks/prevention-talk.decider';
import { preventionTalkStream } from '@samverkan/domain/prevention-talks/prevention-talks.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { partnershipId } from '../agencies/partnership.command-handler';
import type { CommandMeta } from '../commands/command-meta';
import { loadStream, runDecider } from '../commands/decider-runner';
import type { WriteResult } from '../commands/write-result';

/** Which work, by its kind and id. */
export interface WorkRef {
  readonly kind: WorkKind;
  readonly workId: string;
}

/**
 * Credits work to a commitment (or withdraws the credit), as it travels on the command bus. The
 * credit is appended to the work's own stream; the promise is read for its rules (owner, period,
 * not withdrawn), so the work's decider decides with both and stays pure.
 */
export class CreditWorkMessage {
  constructor(
    readonly promiseId: string,
    readonly commitmentId: string,
    readonly work: WorkRef,
    /** Null to credit; a reason to withdraw the credit. */
    readonly withdrawalReason: string | null,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(CreditWorkMessage)
export class CreditWorkHandler implements ICommandHandler<CreditWorkMessage, WriteResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: CreditWorkMessage): Promise<WriteResult> {
    const { promiseId, commitmentId, work, withdrawalReason, meta } = message;
    const issued = { by: meta.actor, at: meta.at };
    const credit = { promiseId, commitmentId };
    const withdraw = withdrawalReason !== null;
    if (work.kind === 'activity') {
      assertMayIssue(meta.actor, 'citizen-promise');
      return runDecider(
        this.store,
        citizenPromiseDecider,
        citizenPromiseStream(promiseId),
        withdraw
          ? {
              type: 'WithdrawActivityCredit',
              ...issued,
              activityId: work.workId,
              commitmentId,
              reason: withdrawalReason,
            }
          : { type: 'CreditActivity', ...issued, activityId: work.workId, commitmentId },
        meta,
      );
    }
    // The promise as it stands, for the rules; read before the work's stream is decided on. A
    // commitment withdrawn in between is caught where credits are counted (it counts no more).
    const { state: promise } = await loadStream(
      this.store,
      citizenPromiseDecider,
      citizenPromiseStream(promiseId),
    );
    switch (work.kind) {
      case 'safety-walk':
        assertMayIssue(meta.actor, 'safety-walks');
        return runDecider(
          this.store,
          safetyWalkDecider,
          safetyWalkStream(work.workId),
          withdraw
            ? {
                type: 'WithdrawWalkCredit',
                ...issued,
                ...credit,
                promise,
                reason: withdrawalReason,
              }
            : { type: 'CreditWalk', ...issued, ...credit, promise },
          meta,
        );
      case 'situation-picture-confirmation':
        assertMayIssue(meta.actor, 'situation-picture');
        return runDecider(
          this.store,
          situationPictureDecider,
          situationPictureStream(partnershipId()),
          withdraw
            ? {
                type: 'WithdrawConfirmationCredit',
                ...issued,
                ...credit,
                confirmationId: work.workId,
                promise,
                reason: withdrawalReason,
              }
            : {
                type: 'CreditConfirmation',
                ...issued,
                ...credit,
                confirmationId: work.workId,
                promise,
              },
          meta,
        );
      case 'prevention-talk':
        assertMayIssue(meta.actor, 'prevention-talks');
        return runDecider(
          this.store,
          preventionTalkDecider,
          preventionTalkStream(work.workId),
          withdraw
            ? {
                type: 'WithdrawTalkCredit',
                ...issued,
                ...credit,
                promise,
                reason: withdrawalReason,
              }
            : { type: 'CreditTalk', ...issued, ...credit, promise },
          meta,
        );
      default:
        return unreachable(work.kind);
    }
  }
}
