import type { Actor } from '../actor';
import {
  isLocalDate,
  isValidPeriod,
  isWithin,
  swedishDate,
  type LocalDate,
  type Period,
} from '../calendar';
import { unreachable, type Decider } from '../decider';
import { conflict, forbidden, notFound, rejected } from '../domain-error';
import { assertNoDirectIdentifier } from '../personal-data';
import type {
  CitizenPromiseCommand,
  CorrectActivity,
  DraftPromise,
  RecordActivity,
  RevisePromise,
  SignPromise,
} from './citizen-promise.commands';
import { actsFor } from './commitment-owner';
import {
  decideCredit,
  decideCreditWithdrawal,
  evolveCredits,
  type CreditsState,
} from './commitment-credits';
import type {
  ActivityDetails,
  CitizenPromiseEvent,
  Commitment,
  CommitmentOwner,
  Signatory,
} from './citizen-promise.events';

interface CommitmentState {
  readonly owner: CommitmentOwner;
  readonly withdrawn: boolean;
}

interface ActivityState {
  readonly commitmentId: string;
  readonly withdrawn: boolean;
  /** What a credit of the activity to another commitment needs: when and where it was done. */
  readonly date: LocalDate;
  readonly placeIds: readonly string[];
}

export type CitizenPromiseState =
  | { readonly status: 'none' }
  | {
      readonly status: 'drafted' | 'in_force';
      readonly promiseId: string;
      readonly period: Period;
      readonly problemAreaRanks: ReadonlySet<number>;
      readonly signatories: ReadonlyMap<string, Signatory>;
      readonly signed: ReadonlySet<string>;
      readonly commitments: ReadonlyMap<string, CommitmentState>;
      readonly activities: ReadonlyMap<string, ActivityState>;
      readonly followUps: ReadonlyMap<string, { readonly reported: boolean }>;
      /** Activities credited to a second commitment (see commitment-credits). */
      readonly credits: CreditsState;
    };

type Existing = Exclude<CitizenPromiseState, { status: 'none' }>;

/** The two parties of a promise: the police area and the municipality's management. */
function assertParty(by: Actor, what: string): void {
  if (by.agency !== 'police' && by.agency !== 'municipality') {
    throw forbidden(
      'PROMISE.NOT_A_PARTY',
      `Only the police area and the municipality ${what}; ${by.agency} may not`,
    );
  }
}

function existing(state: CitizenPromiseState): Existing {
  if (state.status === 'none') throw notFound('PROMISE.NOT_FOUND', 'There is no such promise');
  return state;
}

function inForce(state: CitizenPromiseState): Existing {
  const promise = existing(state);
  if (promise.status !== 'in_force') {
    throw conflict(
      'PROMISE.NOT_IN_FORCE',
      'The promise is not signed by all its signatories yet, so nothing can be done under it',
    );
  }
  return promise;
}

function assertReason(reason: string): void {
  if (reason.trim() === '') {
    throw rejected('PROMISE.REASON_REQUIRED', 'A reason is required: nothing is changed silently');
  }
  assertNoDirectIdentifier('reason', reason);
}

function assertNotInFuture(date: LocalDate, at: Date, what: string, code: string): void {
  // Dates compare as text only in the fixed format; the edge checks it, the domain makes sure.
  if (!isLocalDate(date))
    throw rejected('PROMISE.INVALID_DATE', `${what} must be a date YYYY-MM-DD`);
  if (date > swedishDate(at)) throw rejected(code, `${what} ${date} is in the future`);
}

function checkCommitments(
  commitments: readonly Commitment[],
  ranks: ReadonlySet<number>,
  taken: ReadonlySet<string>,
): void {
  const seen = new Set(taken);
  for (const c of commitments) {
    if (seen.has(c.commitmentId)) {
      throw rejected(
        'PROMISE.DUPLICATE_COMMITMENT',
        `Commitment '${c.commitmentId}' is already part of the promise`,
      );
    }
    seen.add(c.commitmentId);
    assertNoDirectIdentifier(`commitment '${c.commitmentId}'`, c.description);
    const unknown = c.problemAreaRanks.filter((r) => !ranks.has(r));
    if (unknown.length > 0) {
      throw rejected(
        'PROMISE.UNKNOWN_PROBLEM_AREA',
        `Commitment '${c.commitmentId}' refers to problem area rank ${unknown.join(', ')}, which the promise does not have`,
      );
    }
    if (c.cadence && !(Number.isInteger(c.cadence.times) && c.cadence.times >= 1)) {
      throw rejected(
        'PROMISE.INVALID_CADENCE',
        `Commitment '${c.commitmentId}' must be done at least once per ${c.cadence.per}`,
      );
    }
  }
}

function draft(command: DraftPromise, state: CitizenPromiseState): CitizenPromiseEvent[] {
  assertParty(command.by, 'draft a promise');
  if (state.status !== 'none') {
    throw conflict('PROMISE.ALREADY_DRAFTED', `Promise '${command.promiseId}' exists already`);
  }
  if (!isValidPeriod(command.period)) {
    throw rejected(
      'PROMISE.INVALID_PERIOD',
      `The period must start before it ends (${command.period.from} to ${command.period.to})`,
    );
  }
  const ranks = command.problemAreas.map((p) => p.rank).sort((a, b) => a - b);
  if (ranks.length === 0 || ranks.some((rank, i) => rank !== i + 1)) {
    throw rejected(
      'PROMISE.PROBLEM_AREAS_NOT_RANKED',
      'Problem areas must be ranked 1, 2, 3 ... with no rank missing or repeated',
    );
  }
  if (command.commitments.length === 0) {
    throw rejected('PROMISE.NO_COMMITMENTS', 'A promise needs at least one commitment');
  }
  checkCommitments(command.commitments, new Set(ranks), new Set());
  const ids = new Set(command.signatories.map((s) => s.signatoryId));
  if (ids.size !== command.signatories.length) {
    throw rejected('PROMISE.DUPLICATE_SIGNATORY', 'Each signatory may be listed once');
  }
  const agencies = new Set(command.signatories.map((s) => s.agency));
  if (!agencies.has('police') || !agencies.has('municipality')) {
    throw rejected(
      'PROMISE.SIGNATORIES_NOT_BOTH_PARTIES',
      'A promise is signed by both the police area and the municipality',
    );
  }
  assertNoDirectIdentifier('title', command.title);
  assertNoDirectIdentifier('origin', command.origin);
  assertNoDirectIdentifier('focus', command.focus);
  for (const area of command.problemAreas) assertNoDirectIdentifier('problem area', area.name);
  return [
    {
      type: 'PromiseDrafted',
      data: {
        promiseId: command.promiseId,
        title: command.title,
        municipality: command.municipality,
        policeArea: command.policeArea,
        period: command.period,
        origin: command.origin,
        problemAreas: command.problemAreas,
        focus: command.focus,
        commitments: command.commitments,
        signatories: command.signatories,
        draftedOn: swedishDate(command.at),
      },
    },
  ];
}

function sign(command: SignPromise, state: CitizenPromiseState): CitizenPromiseEvent[] {
  const promise = existing(state);
  const signatory = promise.signatories.get(command.signatoryId);
  if (!signatory) {
    throw rejected(
      'PROMISE.UNKNOWN_SIGNATORY',
      `'${command.signatoryId}' is not a signatory of this promise`,
    );
  }
  // Who may act is checked before the state: a stranger learns nothing about the promise.
  if (command.by.agency !== signatory.agency) {
    throw forbidden(
      'PROMISE.SIGNATORY_OF_OTHER_AGENCY',
      `${signatory.name} signs for ${signatory.agency}; a user of ${command.by.agency} may not record it`,
    );
  }
  if (promise.signed.has(command.signatoryId)) {
    throw conflict('PROMISE.ALREADY_SIGNED', `${signatory.name} has signed already`);
  }
  assertNotInFuture(command.signedOn, command.at, 'The signature date', 'PROMISE.DATE_IN_FUTURE');
  if (command.signedOn > promise.period.to) {
    throw rejected('PROMISE.SIGNED_AFTER_PERIOD', 'The promise period has ended');
  }
  return [
    {
      type: 'PromiseSigned',
      data: { signatoryId: command.signatoryId, signedOn: command.signedOn },
    },
  ];
}

function revise(command: RevisePromise, state: CitizenPromiseState): CitizenPromiseEvent[] {
  const promise = inForce(state);
  assertParty(command.by, 'revise a promise');
  assertReason(command.reason);
  if (
    command.addedCommitments.length === 0 &&
    command.withdrawnCommitmentIds.length === 0 &&
    command.focus === undefined
  ) {
    throw rejected('PROMISE.EMPTY_REVISION', 'A revision must change something');
  }
  if (!isWithin(command.revisedOn, promise.period)) {
    throw rejected('PROMISE.REVISED_OUTSIDE_PERIOD', 'A promise is revised during its period');
  }
  assertNotInFuture(command.revisedOn, command.at, 'The revision date', 'PROMISE.DATE_IN_FUTURE');
  checkCommitments(
    command.addedCommitments,
    promise.problemAreaRanks,
    new Set(promise.commitments.keys()),
  );
  for (const id of command.withdrawnCommitmentIds) {
    const commitment = promise.commitments.get(id);
    if (!commitment || commitment.withdrawn) {
      throw notFound(
        'PROMISE.UNKNOWN_COMMITMENT',
        `Commitment '${id}' is not a current commitment of the promise`,
      );
    }
  }
  if (command.focus !== undefined) assertNoDirectIdentifier('focus', command.focus);
  return [
    {
      type: 'PromiseRevised',
      data: {
        revisedOn: command.revisedOn,
        reason: command.reason,
        addedCommitments: command.addedCommitments,
        withdrawnCommitmentIds: command.withdrawnCommitmentIds,
        ...(command.focus !== undefined ? { focus: command.focus } : {}),
      },
    },
  ];
}

/** The commitment an agency records against: current, and carried by that agency. */
function ownedCommitment(promise: Existing, commitmentId: string, by: Actor): CommitmentState {
  const commitment = promise.commitments.get(commitmentId);
  if (!commitment || commitment.withdrawn) {
    throw notFound(
      'PROMISE.UNKNOWN_COMMITMENT',
      `Commitment '${commitmentId}' is not a current commitment of the promise`,
    );
  }
  if (!actsFor(commitment.owner, by.agency)) {
    throw forbidden(
      'PROMISE.NOT_COMMITMENT_OWNER',
      `Commitment '${commitmentId}' is carried by ${commitment.owner === 'joint' ? 'the police and the municipality' : `the ${commitment.owner}`}; ${by.agency} may not record against it`,
    );
  }
  return commitment;
}

function checkActivity(details: ActivityDetails, promise: Existing, at: Date): void {
  if (!isWithin(details.date, promise.period)) {
    throw rejected(
      'PROMISE.ACTIVITY_OUTSIDE_PERIOD',
      `The activity is dated ${details.date}, outside the promise's period ${promise.period.from} to ${promise.period.to}`,
    );
  }
  assertNotInFuture(details.date, at, 'The activity date', 'PROMISE.ACTIVITY_IN_FUTURE');
  if (details.placeIds.length === 0) {
    throw rejected('PROMISE.NO_PLACE', 'Name the place or places where it was done');
  }
  if (details.agenciesPresent.length === 0) {
    throw rejected('PROMISE.NO_AGENCY_PRESENT', 'Name the agencies that took part');
  }
  for (const [name, value] of Object.entries(details.figures)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw rejected(
        'PROMISE.INVALID_FIGURE',
        `Figure '${name}' must be a whole number of 0 or more, got ${value}`,
      );
    }
  }
  assertNoDirectIdentifier('outcome', details.outcome);
}

function activityDetails(command: ActivityDetails): ActivityDetails {
  return {
    kind: command.kind,
    date: command.date,
    placeIds: [...command.placeIds],
    agenciesPresent: command.agenciesPresent,
    outcome: command.outcome,
    figures: command.figures,
  };
}

function record(command: RecordActivity, state: CitizenPromiseState): CitizenPromiseEvent[] {
  const promise = inForce(state);
  ownedCommitment(promise, command.commitmentId, command.by);
  if (promise.activities.has(command.activityId)) {
    throw conflict(
      'PROMISE.ACTIVITY_EXISTS',
      `Activity '${command.activityId}' is recorded already`,
    );
  }
  checkActivity(command, promise, command.at);
  return [
    {
      type: 'CommitmentActivityRecorded',
      data: {
        activityId: command.activityId,
        commitmentId: command.commitmentId,
        ...activityDetails(command),
      },
    },
  ];
}

function recordedActivity(promise: Existing, activityId: string, by: Actor): ActivityState {
  const activity = promise.activities.get(activityId);
  if (!activity) {
    throw notFound('PROMISE.UNKNOWN_ACTIVITY', `There is no activity '${activityId}'`);
  }
  if (activity.withdrawn) {
    throw conflict('PROMISE.ACTIVITY_WITHDRAWN', `Activity '${activityId}' was withdrawn`);
  }
  const commitment = promise.commitments.get(activity.commitmentId)!;
  if (!actsFor(commitment.owner, by.agency)) {
    throw forbidden(
      'PROMISE.NOT_COMMITMENT_OWNER',
      `Only the agency that carries commitment '${activity.commitmentId}' may change its activities`,
    );
  }
  return activity;
}

function correct(command: CorrectActivity, state: CitizenPromiseState): CitizenPromiseEvent[] {
  const promise = inForce(state);
  recordedActivity(promise, command.activityId, command.by);
  assertReason(command.reason);
  checkActivity(command, promise, command.at);
  return [
    {
      type: 'CommitmentActivityCorrected',
      data: { activityId: command.activityId, reason: command.reason, ...activityDetails(command) },
    },
  ];
}

function decide(command: CitizenPromiseCommand, state: CitizenPromiseState): CitizenPromiseEvent[] {
  switch (command.type) {
    case 'DraftPromise':
      return draft(command, state);
    case 'SignPromise':
      return sign(command, state);
    case 'RevisePromise':
      return revise(command, state);
    case 'ScheduleFollowUp': {
      const promise = existing(state);
      assertParty(command.by, 'schedule a follow-up');
      if (promise.followUps.has(command.followUpId)) {
        throw conflict(
          'PROMISE.FOLLOW_UP_EXISTS',
          `Follow-up '${command.followUpId}' exists already`,
        );
      }
      if (
        !isValidPeriod(command.due) ||
        !isWithin(command.due.from, promise.period) ||
        !isWithin(command.due.to, promise.period)
      ) {
        throw rejected(
          'PROMISE.FOLLOW_UP_OUTSIDE_PERIOD',
          "A follow-up is due within the promise's period, in a valid date range",
        );
      }
      return [
        {
          type: 'FollowUpScheduled',
          data: { followUpId: command.followUpId, recipient: command.recipient, due: command.due },
        },
      ];
    }
    case 'ReportFollowUp': {
      const promise = inForce(state);
      assertParty(command.by, 'report a follow-up');
      const followUp = promise.followUps.get(command.followUpId);
      if (!followUp) {
        throw notFound(
          'PROMISE.UNKNOWN_FOLLOW_UP',
          `No follow-up '${command.followUpId}' is scheduled`,
        );
      }
      if (followUp.reported) {
        throw conflict('PROMISE.FOLLOW_UP_REPORTED', 'This follow-up has been reported already');
      }
      assertNotInFuture(
        command.reportedOn,
        command.at,
        'The report date',
        'PROMISE.DATE_IN_FUTURE',
      );
      if (command.summary.trim() === '') {
        throw rejected('PROMISE.EMPTY_REPORT', 'A follow-up report needs a summary');
      }
      assertNoDirectIdentifier('summary', command.summary);
      assertNoDirectIdentifier('proposals', command.proposals);
      return [
        {
          type: 'FollowUpReported',
          data: {
            followUpId: command.followUpId,
            reportedOn: command.reportedOn,
            summary: command.summary,
            proposals: command.proposals,
          },
        },
      ];
    }
    case 'RecordActivity':
      return record(command, state);
    case 'CorrectActivity':
      return correct(command, state);
    case 'WithdrawActivity': {
      const promise = inForce(state);
      recordedActivity(promise, command.activityId, command.by);
      assertReason(command.reason);
      return [
        {
          type: 'CommitmentActivityWithdrawn',
          data: { activityId: command.activityId, reason: command.reason },
        },
      ];
    }
    case 'CreditActivity': {
      const promise = inForce(state);
      const activity = recordedActivity(promise, command.activityId, command.by);
      if (activity.commitmentId === command.commitmentId) {
        throw rejected(
          'CREDIT.OWN_COMMITMENT',
          `Activity '${command.activityId}' is recorded under '${command.commitmentId}' and counts there already`,
        );
      }
      return decideCredit(
        {
          by: command.by,
          at: command.at,
          promiseId: promise.promiseId,
          commitmentId: command.commitmentId,
          promise,
        },
        {
          kind: 'activity',
          workId: command.activityId,
          doneOn: activity.date,
          placeIds: activity.placeIds,
        },
        promise.credits,
      );
    }
    case 'WithdrawActivityCredit': {
      const promise = existing(state);
      if (!promise.activities.has(command.activityId)) {
        throw notFound('PROMISE.UNKNOWN_ACTIVITY', `There is no activity '${command.activityId}'`);
      }
      return decideCreditWithdrawal(
        {
          by: command.by,
          at: command.at,
          promiseId: promise.promiseId,
          commitmentId: command.commitmentId,
          promise,
          reason: command.reason,
        },
        command.activityId,
        promise.credits,
      );
    }
    default:
      return unreachable(command);
  }
}

function evolve(state: CitizenPromiseState, event: CitizenPromiseEvent): CitizenPromiseState {
  if (event.type === 'PromiseDrafted') {
    const d = event.data;
    return {
      status: 'drafted',
      promiseId: d.promiseId,
      period: d.period,
      problemAreaRanks: new Set(d.problemAreas.map((p) => p.rank)),
      signatories: new Map(d.signatories.map((s) => [s.signatoryId, s])),
      signed: new Set(),
      commitments: new Map(
        d.commitments.map((c) => [c.commitmentId, { owner: c.owner, withdrawn: false }]),
      ),
      activities: new Map(),
      followUps: new Map(),
      credits: new Map(),
    };
  }
  // Events of a stream follow its PromiseDrafted; an event before it would be a corrupt log.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PromiseSigned': {
      const signed = new Set(state.signed).add(event.data.signatoryId);
      const all = [...state.signatories.keys()].every((id) => signed.has(id));
      return { ...state, signed, status: all ? 'in_force' : 'drafted' };
    }
    case 'PromiseRevised': {
      const commitments = new Map(state.commitments);
      for (const c of event.data.addedCommitments) {
        commitments.set(c.commitmentId, { owner: c.owner, withdrawn: false });
      }
      for (const id of event.data.withdrawnCommitmentIds) {
        const c = commitments.get(id);
        if (c) commitments.set(id, { ...c, withdrawn: true });
      }
      return { ...state, commitments };
    }
    case 'FollowUpScheduled':
      return {
        ...state,
        followUps: new Map(state.followUps).set(event.data.followUpId, { reported: false }),
      };
    case 'FollowUpReported':
      return {
        ...state,
        followUps: new Map(state.followUps).set(event.data.followUpId, { reported: true }),
      };
    case 'CommitmentActivityRecorded':
      return {
        ...state,
        activities: new Map(state.activities).set(event.data.activityId, {
          commitmentId: event.data.commitmentId,
          withdrawn: false,
          date: event.data.date,
          placeIds: event.data.placeIds,
        }),
      };
    case 'CommitmentActivityCorrected': {
      const activity = state.activities.get(event.data.activityId);
      if (!activity) return state;
      return {
        ...state,
        activities: new Map(state.activities).set(event.data.activityId, {
          ...activity,
          date: event.data.date,
          placeIds: event.data.placeIds,
        }),
      };
    }
    case 'CommitmentCredited':
    case 'CommitmentCreditWithdrawn':
      return { ...state, credits: evolveCredits(state.credits, event) };
    case 'CommitmentActivityWithdrawn': {
      const activity = state.activities.get(event.data.activityId);
      if (!activity) return state;
      return {
        ...state,
        activities: new Map(state.activities).set(event.data.activityId, {
          ...activity,
          withdrawn: true,
        }),
      };
    }
    default:
      return unreachable(event);
  }
}

export const citizenPromiseDecider: Decider<
  CitizenPromiseCommand,
  CitizenPromiseEvent,
  CitizenPromiseState
> = { decide, evolve, initialState: { status: 'none' } };
