import type { Actor } from '../actor';
import { isLocalDate, isWithin, swedishDate, type Period } from '../calendar';
import { conflict, forbidden, notFound, rejected } from '../domain-error';
import { assertNoDirectIdentifier } from '../personal-data';
import { actsFor } from './commitment-owner';
import type {
  CommitmentOwner,
  CommitmentCredited,
  CommitmentCreditWithdrawn,
  CreditedWork,
  CreditEvent,
} from './citizen-promise.events';

/** A credit as a work stream knows it: by promise, commitment and work; standing or withdrawn. */
export type CreditsState = ReadonlyMap<string, { readonly standing: boolean }>;

const creditKey = (promiseId: string, commitmentId: string, workId: string): string =>
  `${promiseId}\u0000${commitmentId}\u0000${workId}`;

export function evolveCredits(credits: CreditsState, event: CreditEvent): CreditsState {
  const d = event.data;
  const workId = event.type === 'CommitmentCredited' ? event.data.work.workId : event.data.workId;
  return new Map(credits).set(creditKey(d.promiseId, d.commitmentId, workId), {
    standing: event.type === 'CommitmentCredited',
  });
}

/** What the credit rules need of a promise: its decider's state has this shape. */
export type PromiseFacts =
  | { readonly status: 'none' }
  | {
      readonly status: 'drafted' | 'in_force';
      readonly period: Period;
      readonly commitments: ReadonlyMap<
        string,
        { readonly owner: CommitmentOwner; readonly withdrawn: boolean }
      >;
    };

/** The request to credit work: which commitment, and the promise as its stream stands now. */
export interface CreditRequest {
  readonly by: Actor;
  readonly at: Date;
  readonly promiseId: string;
  readonly commitmentId: string;
  /** The promise's state, read from its stream by the handler so the decision stays pure. */
  readonly promise: PromiseFacts;
}

export interface CreditWithdrawalRequest extends CreditRequest {
  readonly reason: string;
}

/** The commitment as the promise's rules see it: in force, current, carried by the actor. */
function creditableCommitment(request: CreditRequest): Exclude<PromiseFacts, { status: 'none' }> {
  const { promise } = request;
  if (promise.status === 'none') {
    throw notFound('CREDIT.UNKNOWN_PROMISE', `There is no promise '${request.promiseId}'`);
  }
  const commitment = promise.commitments.get(request.commitmentId);
  if (!commitment || commitment.withdrawn) {
    throw notFound(
      'CREDIT.UNKNOWN_COMMITMENT',
      `Commitment '${request.commitmentId}' is not a current commitment of the promise`,
    );
  }
  if (!actsFor(commitment.owner, request.by.agency)) {
    throw forbidden(
      'CREDIT.NOT_COMMITMENT_OWNER',
      `Commitment '${request.commitmentId}' is carried by ${commitment.owner === 'joint' ? 'the police and the municipality' : `the ${commitment.owner}`}; ${request.by.agency} may not credit work to it`,
    );
  }
  if (promise.status !== 'in_force') {
    throw conflict(
      'CREDIT.PROMISE_NOT_IN_FORCE',
      'The promise is not signed by all its signatories yet',
    );
  }
  return promise;
}

/**
 * Credits the work to the commitment. The work's own decider has checked that the actor may act
 * on the work and that it was done (conducted, held, confirmed); this checks the promise's rules.
 */
export function decideCredit(
  request: CreditRequest,
  work: CreditedWork,
  credits: CreditsState,
): CommitmentCredited[] {
  const promise = creditableCommitment(request);
  if (!isLocalDate(work.doneOn) || !isWithin(work.doneOn, promise.period)) {
    throw rejected(
      'CREDIT.OUTSIDE_PERIOD',
      `The work was done on ${work.doneOn}, outside the promise's period ${promise.period.from} to ${promise.period.to}`,
    );
  }
  if (work.doneOn > swedishDate(request.at)) {
    throw rejected('CREDIT.NOT_DONE_YET', `The work is dated ${work.doneOn}, after today`);
  }
  if (credits.get(creditKey(request.promiseId, request.commitmentId, work.workId))?.standing) {
    throw conflict(
      'CREDIT.ALREADY_CREDITED',
      `This work is credited to commitment '${request.commitmentId}' already`,
    );
  }
  return [
    {
      type: 'CommitmentCredited',
      data: {
        promiseId: request.promiseId,
        commitmentId: request.commitmentId,
        work: {
          kind: work.kind,
          workId: work.workId,
          doneOn: work.doneOn,
          placeIds: [...work.placeIds],
        },
      },
    },
  ];
}

/** Withdraws a standing credit, with a reason: the work no longer counts for the commitment. */
export function decideCreditWithdrawal(
  request: CreditWithdrawalRequest,
  workId: string,
  credits: CreditsState,
): CommitmentCreditWithdrawn[] {
  const { promise } = request;
  if (promise.status === 'none') {
    throw notFound('CREDIT.UNKNOWN_PROMISE', `There is no promise '${request.promiseId}'`);
  }
  const commitment = promise.commitments.get(request.commitmentId);
  // Withdrawing stays possible after the commitment itself was withdrawn: it is a correction.
  if (commitment && !actsFor(commitment.owner, request.by.agency)) {
    throw forbidden(
      'CREDIT.NOT_COMMITMENT_OWNER',
      `Only the agencies that carry commitment '${request.commitmentId}' withdraw its credits`,
    );
  }
  if (!credits.get(creditKey(request.promiseId, request.commitmentId, workId))?.standing) {
    throw notFound(
      'CREDIT.NOT_CREDITED',
      `This work is not credited to commitment '${request.commitmentId}'`,
    );
  }
  if (request.reason.trim() === '') {
    throw rejected('CREDIT.REASON_REQUIRED', 'A reason is required: nothing is changed silently');
  }
  assertNoDirectIdentifier('reason', request.reason);
  return [
    {
      type: 'CommitmentCreditWithdrawn',
      data: {
        promiseId: request.promiseId,
        commitmentId: request.commitmentId,
        workId,
        reason: request.reason,
      },
    },
  ];
}
