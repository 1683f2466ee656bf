import type { Actor } from '../actor';
import { isTalkRole, type AgencyCode } from '../agencies/agencies';
import { isLocalDate, swedishDate, type LocalDate } from '../calendar';
import { unreachable, type Decider } from '../decider';
import { conflict, forbidden, notFound, rejected } from '../domain-error';
import { assertNoDirectIdentifier, containsPersonalIdentityNumber } from '../personal-data';
import type {
  FollowUpTalk,
  PlanPreventionTalk,
  PreventionTalkCommand,
  RecordConsent,
  RecordTalkHeld,
  WithdrawConsent,
} from './prevention-talks.commands';
import type {
  ConsentRecorded,
  Participant,
  PreventionTalkEvent,
  PreventionTalkFollowedUp,
  PreventionTalkHeld,
} from './prevention-talks.events';

/** One consent as it stands: recorded, and withdrawn or still in force. */
export type ConsentRecord = ConsentRecorded['data'] & {
  readonly withdrawnOn: LocalDate | null;
  readonly withdrawalReason: string | null;
};

interface TalkRecord {
  readonly talkId: string;
  readonly subjectRef: string;
  readonly plannedFor: LocalDate;
  readonly purpose: string;
  /** The planned participants: the agencies among them are the ones that may act on the talk. */
  readonly participants: readonly Participant[];
  readonly consentInForce: boolean;
  /** Every consent in the order recorded; only the last can be in force. */
  readonly consents: readonly ConsentRecord[];
  readonly followUps: readonly PreventionTalkFollowedUp['data'][];
}

/** What the API shows of one talk (to the agencies and roles that take part in it). */
export type PreventionTalkState =
  | { readonly status: 'none' }
  | (TalkRecord & { readonly status: 'planned'; readonly held: null })
  | (TalkRecord & {
      readonly status: 'held' | 'closed';
      readonly held: PreventionTalkHeld['data'];
    });

type Existing = Exclude<PreventionTalkState, { status: 'none' }>;

/** The agencies that hold SSPF talks about one young person. */
const TALK_AGENCIES: readonly AgencyCode[] = ['police', 'social-services', 'school'];
/** The two agencies between which the secrecy-breaking provision and the talk's lead lie. */
const PLANNERS: readonly AgencyCode[] = ['police', 'social-services'];
/** A reference such as SOC-7F3K9Q: an agency prefix and an opaque code, never a name. */
const SUBJECT_REF = /^[A-Z]{2,6}-[A-Z0-9]{4,16}$/;

function existing(state: PreventionTalkState): Existing {
  if (state.status === 'none') {
    throw notFound('TALK.NOT_FOUND', 'No such prevention talk is planned');
  }
  return state;
}

/**
 * Only the agencies planned to take part act on the talk (OSL secrecy: the others may not even
 * learn what was said). Checked before the talk's state, so an outsider learns nothing of it.
 */
function assertParticipant(talk: Existing, by: Actor): void {
  if (!talk.participants.some((p) => p.agency === by.agency)) {
    throw forbidden(
      'TALK.NOT_PARTICIPANT',
      `${by.agency} does not take part in this talk and may not record anything on it`,
    );
  }
}

function assertDate(date: LocalDate, what: string): void {
  if (!isLocalDate(date)) {
    throw rejected('TALK.INVALID_DATE', `${what} must be a real date as YYYY-MM-DD`);
  }
}

function assertNotInFuture(date: LocalDate, at: Date, what: string): void {
  assertDate(date, what);
  const today = swedishDate(at);
  if (date > today) {
    throw rejected('TALK.DATE_IN_FUTURE', `${what} ${date} is after today (${today})`);
  }
}

function assertReason(reason: string): void {
  if (reason.trim() === '') {
    throw rejected('TALK.REASON_REQUIRED', 'A reason is required: nothing is changed silently');
  }
  assertNoDirectIdentifier('reason', reason);
}

/**
 * Who may sit in a talk: police, social services and school, each in a role of its own agency
 * that takes part in person (not the audit roles or a system account), each listed once, and
 * always police and social services together: the talk is a joint one.
 */
function checkParticipants(
  participants: readonly Participant[],
  allowed: readonly AgencyCode[],
  allowedWhat: string,
): void {
  const seen = new Set<string>();
  for (const p of participants) {
    if (!allowed.includes(p.agency)) {
      throw rejected(
        'TALK.INVALID_PARTICIPANT',
        `${p.agency} may not take part: participants are ${allowedWhat}`,
      );
    }
    if (!isTalkRole(p.agency, p.role)) {
      throw rejected(
        'TALK.INVALID_PARTICIPANT',
        `'${String(p.role)}' is not a role in which ${p.agency} takes part in a talk`,
      );
    }
    const key = `${p.agency}/${p.role}`;
    if (seen.has(key)) {
      throw rejected('TALK.INVALID_PARTICIPANT', `${key} is listed more than once`);
    }
    seen.add(key);
  }
  const agencies = new Set(participants.map((p) => p.agency));
  if (!agencies.has('police') || !agencies.has('social-services')) {
    throw rejected(
      'TALK.NOT_JOINT',
      'A prevention talk is a joint talk: the police and social services both take part',
    );
  }
}

/**
 * The consent the talk rests on. Without consent in force the partners may not discuss the
 * individual (12 kap. 2 § OSL), so nothing about the talk is recorded without one.
 */
function consentInForce(talk: Existing, what: string): ConsentRecord {
  const consent = talk.consents.at(-1);
  if (!talk.consentInForce || !consent) {
    throw rejected(
      'TALK.NO_CONSENT',
      `No consent is in force, so ${what} may not be recorded: without consent the partners may not discuss the young person`,
    );
  }
  return consent;
}

function plan(command: PlanPreventionTalk, state: PreventionTalkState): PreventionTalkEvent[] {
  const { by } = command;
  if (!PLANNERS.includes(by.agency)) {
    throw forbidden(
      'TALK.PLANNER_NOT_ALLOWED',
      `Only the police and social services plan a prevention talk; ${by.agency} may not`,
    );
  }
  if (state.status !== 'none') {
    throw conflict('TALK.ALREADY_PLANNED', `Talk '${command.talkId}' is planned already`);
  }
  checkParticipants(command.participants, TALK_AGENCIES, 'police, social services and school');
  // By agency and role: the talk is read by the roles that take part (see the access policy),
  // so a planner outside the list could not read what they planned.
  if (!command.participants.some((p) => p.agency === by.agency && p.role === by.role)) {
    throw rejected(
      'TALK.PLANNER_NOT_PARTICIPANT',
      `The planner (${by.role} of ${by.agency}) must be among the participants`,
    );
  }
  // The reference is not echoed in the reason: if it is a personal identity number, the
  // refusal must not carry it into logs either.
  if (!SUBJECT_REF.test(command.subjectRef) || containsPersonalIdentityNumber(command.subjectRef)) {
    throw rejected(
      'TALK.SUBJECT_NOT_PSEUDONYMOUS',
      'The young person is referred to only by the pseudonymous reference social services created (such as SOC-7F3K9Q), never by name or personal identity number',
    );
  }
  assertDate(command.plannedFor, 'The planned date');
  assertNoDirectIdentifier('purpose', command.purpose);
  return [
    {
      type: 'PreventionTalkPlanned',
      data: {
        talkId: command.talkId,
        subjectRef: command.subjectRef,
        plannedFor: command.plannedFor,
        participants: command.participants.map((p) => ({ agency: p.agency, role: p.role })),
        purpose: command.purpose,
      },
    },
  ];
}

function recordConsent(command: RecordConsent, state: PreventionTalkState): PreventionTalkEvent[] {
  const talk = existing(state);
  assertParticipant(talk, command.by);
  if (talk.status === 'closed') {
    throw conflict('TALK.CLOSED', 'The talk is closed: no consent is needed for it any more');
  }
  if (talk.consentInForce) {
    throw conflict(
      'TALK.CONSENT_ALREADY_RECORDED',
      'A consent is in force already; withdraw it before recording another',
    );
  }
  if (talk.consents.some((c) => c.consentId === command.consentId)) {
    throw conflict(
      'TALK.CONSENT_ALREADY_RECORDED',
      `Consent '${command.consentId}' was recorded before; a new consent has a new id`,
    );
  }
  assertNotInFuture(command.recordedOn, command.at, 'The consent date');
  const last = talk.consents.at(-1);
  if (last?.withdrawnOn && command.recordedOn < last.withdrawnOn) {
    throw rejected(
      'TALK.DATE_OUT_OF_ORDER',
      `A new consent cannot be dated before the last one was withdrawn (${last.withdrawnOn})`,
    );
  }
  const givenBy = new Set(command.givenBy);
  if (!givenBy.has('guardian') || (command.subjectAged15OrOver && !givenBy.has('young-person'))) {
    throw rejected(
      'TALK.CONSENT_INCOMPLETE',
      command.subjectAged15OrOver
        ? 'From 15 the young person consents too, besides the guardians'
        : 'The guardians consent for a young person under 15',
    );
  }
  if (command.scope.trim() === '') {
    throw rejected('TALK.CONSENT_INCOMPLETE', 'A consent states what it covers');
  }
  assertNoDirectIdentifier('scope', command.scope);
  return [
    {
      type: 'ConsentRecorded',
      data: {
        consentId: command.consentId,
        recordedOn: command.recordedOn,
        givenBy: [...givenBy],
        subjectAged15OrOver: command.subjectAged15OrOver,
        scope: command.scope,
      },
    },
  ];
}

/** Always possible while a consent is in force, even on a closed talk: withdrawal is a right. */
function withdrawConsent(
  command: WithdrawConsent,
  state: PreventionTalkState,
): PreventionTalkEvent[] {
  const talk = existing(state);
  assertParticipant(talk, command.by);
  const consent = talk.consents.at(-1);
  if (!talk.consentInForce || !consent) {
    throw conflict('TALK.NO_CONSENT', 'No consent is in force, so there is none to withdraw');
  }
  assertReason(command.reason);
  assertNotInFuture(command.withdrawnOn, command.at, 'The withdrawal date');
  if (command.withdrawnOn < consent.recordedOn) {
    throw rejected(
      'TALK.DATE_OUT_OF_ORDER',
      `A consent cannot be withdrawn before it was given (${consent.recordedOn})`,
    );
  }
  return [
    {
      type: 'ConsentWithdrawn',
      data: { withdrawnOn: command.withdrawnOn, reason: command.reason },
    },
  ];
}

function recordHeld(command: RecordTalkHeld, state: PreventionTalkState): PreventionTalkEvent[] {
  const talk = existing(state);
  assertParticipant(talk, command.by);
  if (talk.status !== 'planned') {
    throw conflict('TALK.ALREADY_HELD', `The talk was held already, on ${talk.held.heldOn}`);
  }
  const consent = consentInForce(talk, 'a talk about the young person');
  assertNotInFuture(command.heldOn, command.at, 'The talk date');
  if (command.heldOn < consent.recordedOn) {
    throw rejected(
      'TALK.HELD_BEFORE_CONSENT',
      `The talk is dated ${command.heldOn}, before the consent was given (${consent.recordedOn})`,
    );
  }
  const planned = [...new Set(talk.participants.map((p) => p.agency))];
  checkParticipants(command.participants, planned, `the planned agencies (${planned.join(', ')})`);
  assertNoDirectIdentifier('outcome', command.outcome);
  for (const agreed of command.agreedFollowUp) {
    assertNoDirectIdentifier('agreed follow-up', agreed.action);
    assertDate(agreed.dueOn, 'The due date of an agreed follow-up');
    if (agreed.dueOn < command.heldOn) {
      throw rejected(
        'TALK.DATE_BEFORE_TALK',
        `An agreed follow-up is due ${agreed.dueOn}, before the talk (${command.heldOn})`,
      );
    }
  }
  return [
    {
      type: 'PreventionTalkHeld',
      data: {
        heldOn: command.heldOn,
        participants: command.participants.map((p) => ({ agency: p.agency, role: p.role })),
        guardiansPresent: command.guardiansPresent,
        outcome: command.outcome,
        agreedFollowUp: command.agreedFollowUp.map((a) => ({
          action: a.action,
          responsibleAgency: a.responsibleAgency,
          dueOn: a.dueOn,
        })),
      },
    },
  ];
}

function followUp(command: FollowUpTalk, state: PreventionTalkState): PreventionTalkEvent[] {
  const talk = existing(state);
  assertParticipant(talk, command.by);
  if (talk.status === 'planned') {
    throw conflict('TALK.NOT_HELD', 'A talk is followed up after it has been held');
  }
  if (talk.status === 'closed') {
    throw conflict('TALK.CLOSED', 'The talk is closed: nothing more is recorded under it');
  }
  const consent = consentInForce(talk, 'a follow-up about the young person');
  assertNotInFuture(command.followedUpOn, command.at, 'The follow-up date');
  if (command.followedUpOn < talk.held.heldOn) {
    throw rejected(
      'TALK.DATE_BEFORE_TALK',
      `The follow-up is dated ${command.followedUpOn}, before the talk (${talk.held.heldOn})`,
    );
  }
  // After a withdrawal and a new consent, the days in between were not covered by any consent.
  if (command.followedUpOn < consent.recordedOn) {
    throw rejected(
      'TALK.NO_CONSENT',
      `The follow-up is dated ${command.followedUpOn}, before the consent in force was given (${consent.recordedOn})`,
    );
  }
  assertNoDirectIdentifier('notes', command.notes);
  return [
    {
      type: 'PreventionTalkFollowedUp',
      data: {
        followedUpOn: command.followedUpOn,
        notes: command.notes,
        closed: command.closed,
      },
    },
  ];
}

function decide(command: PreventionTalkCommand, state: PreventionTalkState): PreventionTalkEvent[] {
  switch (command.type) {
    case 'PlanPreventionTalk':
      return plan(command, state);
    case 'RecordConsent':
      return recordConsent(command, state);
    case 'WithdrawConsent':
      return withdrawConsent(command, state);
    case 'RecordTalkHeld':
      return recordHeld(command, state);
    case 'FollowUpTalk':
      return followUp(command, state);
    default:
      return unreachable(command);
  }
}

function evolve(state: PreventionTalkState, event: PreventionTalkEvent): PreventionTalkState {
  if (event.type === 'PreventionTalkPlanned') {
    const d = event.data;
    return {
      status: 'planned',
      talkId: d.talkId,
      subjectRef: d.subjectRef,
      plannedFor: d.plannedFor,
      purpose: d.purpose,
      participants: d.participants,
      consentInForce: false,
      consents: [],
      held: null,
      followUps: [],
    };
  }
  // Events of a stream follow its PreventionTalkPlanned; one before it would be a corrupt log.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ConsentRecorded':
      return {
        ...state,
        consentInForce: true,
        consents: [...state.consents, { ...event.data, withdrawnOn: null, withdrawalReason: null }],
      };
    case 'ConsentWithdrawn':
      return {
        ...state,
        consentInForce: false,
        consents: state.consents.map((c, i) =>
          i === state.consents.length - 1
            ? { ...c, withdrawnOn: event.data.withdrawnOn, withdrawalReason: event.data.reason }
            : c,
        ),
      };
    case 'PreventionTalkHeld':
      return { ...state, status: 'held', held: event.data };
    case 'PreventionTalkFollowedUp':
      if (state.status === 'planned') return state;
      return {
        ...state,
        status: event.data.closed ? 'closed' : state.status,
        followUps: [...state.followUps, event.data],
      };
    default:
      return unreachable(event);
  }
}

export const preventionTalkDecider: Decider<
  PreventionTalkCommand,
  PreventionTalkEvent,
  PreventionTalkState
> = { decide, evolve, initialState: { status: 'none' } };
