import type { Actor } from '../actor';
import type { Decider } from '../decider';
import { specFor } from '../given-when-then';
import type {
  CommitmentCredited,
  CommitmentCreditWithdrawn,
  CreditedWork,
  CreditEvent,
} from './citizen-promise.events';
import {
  decideCredit,
  decideCreditWithdrawal,
  evolveCredits,
  type CreditRequest,
  type CreditsState,
  type PromiseFacts,
} from './commitment-credits';

/**
 * The promise's rules for crediting work, as every work stream applies them (walks, confirmed
 * pictures, activities, talks). Here they run on a stream of credits alone, so each rule is seen
 * apart from the rules of the work; the work deciders' specs check that they apply them.
 */
type CreditCommand =
  | { readonly type: 'Credit'; readonly request: CreditRequest; readonly work: CreditedWork }
  | {
      readonly type: 'Withdraw';
      readonly request: CreditRequest & { readonly reason: string };
      readonly workId: string;
    };
const creditRules: Decider<CreditCommand, CreditEvent, CreditsState> = {
  decide: (command, state) =>
    command.type === 'Credit'
      ? decideCredit(command.request, command.work, state)
      : decideCreditWithdrawal(command.request, command.workId, state),
  evolve: evolveCredits,
  initialState: new Map(),
};
const spec = specFor(creditRules);

const police: Actor = { userId: 'u-police', agency: 'police', role: 'municipal-police-officer' };
const municipality: Actor = {
  userId: 'u-kommun',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const school: Actor = { userId: 'u-school', agency: 'school', role: 'principal' };
const socialServices: Actor = { userId: 'u-soc', agency: 'social-services', role: 'social-worker' };
const housing: Actor = { userId: 'u-bo', agency: 'housing-company', role: 'property-manager' };
const at = new Date('2024-06-01T10:00:00Z');

const promise: Exclude<PromiseFacts, { status: 'none' }> = {
  status: 'in_force',
  period: { from: '2023-01-01', to: '2025-12-31' },
  commitments: new Map([
    ['walks', { owner: 'joint', withdrawn: false }],
    ['police-office', { owner: 'police', withdrawn: false }],
    ['guards', { owner: 'municipality', withdrawn: false }],
    ['old', { owner: 'joint', withdrawn: true }],
  ]),
};
const walk: CreditedWork = {
  kind: 'safety-walk',
  workId: 'skoghall-2024',
  doneOn: '2024-05-20',
  placeIds: ['skoghall-centrum', 'lillangshamnen'],
};

const credit = (
  over: Partial<CreditRequest> = {},
  work: Partial<CreditedWork> = {},
): CreditCommand => ({
  type: 'Credit',
  request: { by: police, at, promiseId: 'hammaro', commitmentId: 'walks', promise, ...over },
  work: { ...walk, ...work },
});
const withdraw = (
  over: Partial<CreditRequest & { reason: string }> = {},
  workId = walk.workId,
): CreditCommand => ({
  type: 'Withdraw',
  request: {
    by: police,
    at,
    promiseId: 'hammaro',
    commitmentId: 'walks',
    promise,
    reason: 'Vandringen gällde inte åtagandet',
    ...over,
  },
  workId,
});
const credited: CommitmentCredited = {
  type: 'CommitmentCredited',
  data: { promiseId: 'hammaro', commitmentId: 'walks', work: walk },
};
const withdrawn: CommitmentCreditWithdrawn = {
  type: 'CommitmentCreditWithdrawn',
  data: {
    promiseId: 'hammaro',
    commitmentId: 'walks',
    workId: walk.workId,
    reason: 'Vandringen gällde inte åtagandet',
  },
};

describe('commitment credits: crediting work done elsewhere', () => {
  it('given no credit, when an agency of the owner credits work of the period, then the commitment is credited with when and where it was done', () => {
    spec.given().when(credit()).then(credited);
  });

  it('rule: the promise exists', () => {
    spec
      .given()
      .when(credit({ promise: { status: 'none' } }))
      .thenRefused('CREDIT.UNKNOWN_PROMISE', 'not_found');
  });

  it('rule: the promise is in force (signed by all)', () => {
    spec
      .given()
      .when(credit({ promise: { ...promise, status: 'drafted' } }))
      .thenRefused('CREDIT.PROMISE_NOT_IN_FORCE', 'conflict');
  });

  it('rule: the commitment is a current one of the promise, not withdrawn', () => {
    spec
      .given()
      .when(credit({ commitmentId: 'nope' }))
      .thenRefused('CREDIT.UNKNOWN_COMMITMENT', 'not_found');
    spec
      .given()
      .when(credit({ commitmentId: 'old' }))
      .thenRefused('CREDIT.UNKNOWN_COMMITMENT', 'not_found');
  });

  it('rule: the actor’s agency acts for the commitment’s owner (joint: the police or a municipal agency)', () => {
    spec
      .given()
      .when(credit({ by: police, commitmentId: 'guards' }))
      .thenRefused('CREDIT.NOT_COMMITMENT_OWNER', 'forbidden');
    spec
      .given()
      .when(credit({ by: municipality, commitmentId: 'police-office' }))
      .thenRefused('CREDIT.NOT_COMMITMENT_OWNER', 'forbidden');
    spec
      .given()
      .when(credit({ by: housing }))
      .thenRefused('CREDIT.NOT_COMMITMENT_OWNER', 'forbidden');
    // The municipality acts through its administrations; either party acts for a joint one.
    for (const request of [
      { by: school, commitmentId: 'guards' },
      { by: socialServices, commitmentId: 'walks' },
      { by: municipality, commitmentId: 'walks' },
      { by: police, commitmentId: 'police-office' },
    ]) {
      expect(spec.given().when(credit(request)).events()).toHaveLength(1);
    }
  });

  it('rule: the work was done within the promise’s period', () => {
    spec
      .given()
      .when(credit({}, { doneOn: '2022-12-31' }))
      .thenRefused('CREDIT.OUTSIDE_PERIOD', 'rejected');
    spec
      .given()
      .when(credit({ at: new Date('2026-03-01T10:00:00Z') }, { doneOn: '2026-01-01' }))
      .thenRefused('CREDIT.OUTSIDE_PERIOD', 'rejected');
    // A date that is not YYYY-MM-DD would compare wrongly as text: it is no date in the period.
    spec
      .given()
      .when(credit({}, { doneOn: '2024-5-20' }))
      .thenRefused('CREDIT.OUTSIDE_PERIOD', 'rejected');
    expect(
      spec
        .given()
        .when(credit({}, { doneOn: '2023-01-01' }))
        .events(),
    ).toHaveLength(1);
  });

  it('rule: the work is not dated in the future (Swedish date)', () => {
    spec
      .given()
      .when(credit({}, { doneOn: '2024-06-02' }))
      .thenRefused('CREDIT.NOT_DONE_YET', 'rejected');
    // 23:30 UTC on 1 June is 2 June in Sweden.
    expect(
      spec
        .given()
        .when(credit({ at: new Date('2024-06-01T23:30:00Z') }, { doneOn: '2024-06-02' }))
        .events(),
    ).toHaveLength(1);
  });

  it('rule: work is credited to a commitment once; other commitments and promises may have it too', () => {
    spec.given(credited).when(credit()).thenRefused('CREDIT.ALREADY_CREDITED', 'conflict');
    expect(
      spec
        .given(credited)
        .when(credit({ commitmentId: 'police-office' }))
        .events(),
    ).toHaveLength(1);
    expect(
      spec
        .given(credited)
        .when(credit({ promiseId: 'hammaro-2026' }))
        .events(),
    ).toHaveLength(1);
  });

  it('rule: a withdrawn credit may be given again', () => {
    spec.given(credited, withdrawn).when(credit()).then(credited);
    spec
      .given(credited, withdrawn, credited)
      .when(credit())
      .thenRefused('CREDIT.ALREADY_CREDITED', 'conflict');
  });
});

describe('commitment credits: withdrawing a credit', () => {
  it('given a standing credit, when an agency of the owner withdraws it with a reason, then it is withdrawn', () => {
    spec.given(credited).when(withdraw()).then(withdrawn);
  });

  it('rule: only a standing credit is withdrawn', () => {
    spec.given().when(withdraw()).thenRefused('CREDIT.NOT_CREDITED', 'not_found');
    spec
      .given(credited, withdrawn)
      .when(withdraw())
      .thenRefused('CREDIT.NOT_CREDITED', 'not_found');
    spec
      .given(credited)
      .when(withdraw({ commitmentId: 'police-office' }))
      .thenRefused('CREDIT.NOT_CREDITED', 'not_found');
  });

  it('rule: a withdrawal says why, without a personal identity number', () => {
    spec
      .given(credited)
      .when(withdraw({ reason: '  ' }))
      .thenRefused('CREDIT.REASON_REQUIRED', 'rejected');
    spec
      .given(credited)
      .when(withdraw({ reason: 'Gällde 19811218-9876' }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });

  it('rule: only the agencies that carry the commitment withdraw its credits', () => {
    spec
      .given(credited)
      .when(withdraw({ by: housing }))
      .thenRefused('CREDIT.NOT_COMMITMENT_OWNER', 'forbidden');
  });

  it('rule: the promise exists', () => {
    spec
      .given(credited)
      .when(withdraw({ promise: { status: 'none' } }))
      .thenRefused('CREDIT.UNKNOWN_PROMISE', 'not_found');
  });

  it('given a commitment withdrawn since it was credited, then its credit can still be withdrawn (a correction)', () => {
    const revised: PromiseFacts = {
      ...promise,
      commitments: new Map(promise.commitments).set('walks', { owner: 'joint', withdrawn: true }),
    };
    spec
      .given(credited)
      .when(withdraw({ promise: revised }))
      .then(withdrawn);
  });
});
