import type { Actor } from '../actor';
import { AGENCIES, isTalkRole, TALK_ROLES, type AgencyCode } from '../agencies/agencies';
import { isLocalDate, swedishDate, type LocalDate } from '../calendar';
import {
  decideCredit,
  decideCreditWithdrawal,
  evolveCredits,
  type CreditsState,
} from '../citizen-promise/commitment-credits';
import { unreachable, type Decider } from '../decider';
import { conflict, forbidden, notFound, rejected } from '../domain-error';
import { assertNoDirectIdentifier, containsPersonalIdentityNumber } from '../personal-data';
import type {
  ChangeTalkParticipants,
  FollowUpTalk,
  PlanPreventionTalk,
  PreventionTalkCommand,
  RecordConsent,
  RecordTalkHeld,
  StatedLegalGround,
  WithdrawConsent,
} from './prevention-talks.commands';
import type {
  ConsentRecorded,
  LegalGround,
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
  readonly legalGround: LegalGround;
  /**
   * The planned participants, as last changed: the agencies among them are the ones that may
   * act on the talk, and the agencies and roles the ones that read it.
   */
  readonly participants: readonly Participant[];
  readonly consentInForce: boolean;
  /** Every consent in the order recorded; only the last can be in force. */
  readonly consents: readonly ConsentRecord[];
  readonly followUps: readonly PreventionTalkFollowedUp['data'][];
  /** The commitments of promises the held talk is credited to. */
  readonly credits: CreditsState;
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

/**
 * The agencies that hold SSPF talks about one young person (school, social services, police
 * and leisure): those with talk roles, so that the participants and the roles that may record
 * and read are one list and cannot drift apart.
 */
const TALK_AGENCIES: readonly AgencyCode[] = AGENCIES.filter(
  (a) => (TALK_ROLES[a]?.length ?? 0) > 0,
);
const TALK_AGENCIES_TEXT = TALK_AGENCIES.join(', ');
/** The two agencies between which the secrecy-breaking provision and the talk's lead lie. */
const PLANNERS: readonly AgencyCode[] = ['police', 'social-services'];
/** The only agencies 10 kap. 18 a § OSL breaks secrecy between. */
const OSL_10_18A_AGENCIES: readonly AgencyCode[] = ['police', 'social-services'];
/** Shorter than this, a preventive purpose names no reason (a word such as "SSPF" or "oro"). */
const MIN_PREVENTIVE_PURPOSE = 10;
/** A reference such as SOC-7F3K9Q: an agency prefix and an opaque code, never a name. */
const SUBJECT_REF = /^[A-Z]{2,6}-[A-Z0-9]{4,16}$/;

function existing(state: PreventionTalkState): Existing {
  if (state.status === 'none') {
    throw notFound('TALK.NOT_FOUND', 'No such prevention talk is planned');
  }
  return state;
}

/**
 * Only those who read the talk act on it: its participants, by agency and role (OSL secrecy:
 * the others may not even learn that it exists). An outsider gets the answer a talk that does
 * not exist gets, checked before the talk's state, so no refusal tells them a date or a state.
 */
function assertParticipant(talk: Existing, by: Actor): void {
  if (!includes(talkReaders(talk), by)) {
    throw notFound('TALK.NOT_FOUND', 'No such prevention talk is planned');
  }
}

/** Whether the list holds this actor in their own agency and role. */
function includes(participants: readonly Participant[], by: Actor): boolean {
  return participants.some((p) => p.agency === by.agency && p.role === by.role);
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
 * Who may sit in a talk: the SSPF agencies (school, social services, police, leisure), each in
 * a role of its own agency
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
 * The ground a plan states, as the log keeps it. Under 10 kap. 18 a § OSL each condition of
 * the provision must hold when planned, or the sharing the talk is for would break secrecy:
 * the young person is under 21, and there is a stated reason why sharing can help prevent
 * them from committing crime.
 */
function groundOf(stated: StatedLegalGround): LegalGround {
  switch (stated.basis) {
    case 'consent':
      return { basis: 'consent' };
    case 'osl-10-18a': {
      if (stated.subjectUnder21 !== true) {
        throw rejected(
          'TALK.GROUND_REQUIRES_UNDER_21',
          '10 kap. 18 a § OSL applies only to a young person under 21; otherwise the talk rests on consent',
        );
      }
      const purpose = stated.preventivePurpose.trim();
      if (purpose.length < MIN_PREVENTIVE_PURPOSE) {
        throw rejected(
          'TALK.GROUND_REQUIRES_PURPOSE',
          `10 kap. 18 a § OSL needs a stated preventive purpose (at least ${MIN_PREVENTIVE_PURPOSE} characters): why sharing can help prevent the young person from committing crime`,
        );
      }
      assertNoDirectIdentifier('preventive purpose', purpose);
      return { basis: 'osl-10-18a', subjectUnder21: true, preventivePurpose: purpose };
    }
    default:
      return unreachable(stated);
  }
}

/**
 * Who may sit in a talk on this ground. 10 kap. 18 a § OSL breaks secrecy only between social
 * services and the police: a school or leisure service at the table would hear what the
 * provision does not let them hear, so with them the talk needs consent.
 */
function assertFitsGround(ground: LegalGround, participants: readonly Participant[]): void {
  if (ground.basis !== 'osl-10-18a') return;
  const outside = participants.find((p) => !OSL_10_18A_AGENCIES.includes(p.agency));
  if (outside) {
    throw rejected(
      'TALK.GROUND_EXCLUDES_AGENCY',
      `${outside.agency} may not take part in a talk under 10 kap. 18 a § OSL, which allows only social services and the police; with ${outside.agency} the talk rests on consent`,
    );
  }
}

/**
 * The consent the talk rests on. Without consent in force the partners may not discuss the
 * individual (12 kap. 2 § OSL), so nothing about the talk is recorded without one. A talk
 * under 10 kap. 18 a § OSL rests on the provision instead and needs none: null.
 */
function consentInForce(talk: Existing, what: string): ConsentRecord | null {
  if (talk.legalGround.basis !== 'consent') return null;
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
    // Only someone who reads the talk hears that it is planned; anyone else hears only that
    // the id is taken (a server-made id never is).
    if (!includes(talkReaders(state), by)) {
      throw conflict('TALK.ID_TAKEN', 'This id is taken; leave it out and the server makes one');
    }
    throw conflict('TALK.ALREADY_PLANNED', `Talk '${command.talkId}' is planned already`);
  }
  const legalGround = groundOf(command.legalGround);
  assertFitsGround(legalGround, command.participants);
  checkParticipants(command.participants, TALK_AGENCIES, TALK_AGENCIES_TEXT);
  // By agency and role: the talk is read by the roles that take part (see the access policy),
  // so a planner outside the list could not read what they planned.
  if (!includes(command.participants, by)) {
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
        legalGround,
      },
    },
  ];
}

/**
 * A new list of who takes part, before the talk is held. It must still be a joint talk that
 * fits the talk's ground (a change must not bring the school into an 18 a § talk by the back
 * door), and keep the one who changes it, who could otherwise not read what they changed.
 */
function changeParticipants(
  command: ChangeTalkParticipants,
  state: PreventionTalkState,
): PreventionTalkEvent[] {
  const { by } = command;
  const talk = existing(state);
  assertParticipant(talk, by);
  if (talk.status !== 'planned') {
    throw conflict(
      'TALK.ALREADY_HELD',
      `The talk was held already, on ${talk.held.heldOn}: who took part is recorded with it`,
    );
  }
  assertFitsGround(talk.legalGround, command.participants);
  checkParticipants(command.participants, TALK_AGENCIES, TALK_AGENCIES_TEXT);
  if (!includes(command.participants, by)) {
    throw rejected(
      'TALK.CHANGER_NOT_PARTICIPANT',
      `The one who changes the participants (${by.role} of ${by.agency}) must remain among them`,
    );
  }
  const key = (p: Participant) => `${p.agency}/${p.role}`;
  const before = new Set(talk.participants.map(key));
  if (
    command.participants.length === before.size &&
    command.participants.every((p) => before.has(key(p)))
  ) {
    throw conflict('TALK.PARTICIPANTS_UNCHANGED', 'These are the participants already');
  }
  assertReason(command.reason);
  return [
    {
      type: 'PreventionTalkParticipantsChanged',
      data: {
        participants: command.participants.map((p) => ({ agency: p.agency, role: p.role })),
        reason: command.reason,
      },
    },
  ];
}

function recordConsent(command: RecordConsent, state: PreventionTalkState): PreventionTalkEvent[] {
  const talk = existing(state);
  assertParticipant(talk, command.by);
  // A consent on a talk that rests on 18 a § would suggest that withdrawing it stops the
  // sharing, which it does not: the record would mislead the young person and the reviewer.
  if (talk.legalGround.basis !== 'consent') {
    throw rejected(
      'TALK.GROUND_IS_NOT_CONSENT',
      'The talk rests on 10 kap. 18 a § OSL, not on consent: no consent is recorded on it',
    );
  }
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
  if (consent && command.heldOn < consent.recordedOn) {
    throw rejected(
      'TALK.HELD_BEFORE_CONSENT',
      `The talk is dated ${command.heldOn}, before the consent was given (${consent.recordedOn})`,
    );
  }
  // The ground first, so that the refusal names the law rather than the plan.
  assertFitsGround(talk.legalGround, command.participants);
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
  if (consent && command.followedUpOn < consent.recordedOn) {
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
    case 'ChangeTalkParticipants':
      return changeParticipants(command, state);
    case 'RecordConsent':
      return recordConsent(command, state);
    case 'WithdrawConsent':
      return withdrawConsent(command, state);
    case 'RecordTalkHeld':
      return recordHeld(command, state);
    case 'FollowUpTalk':
      return followUp(command, state);
    case 'CreditTalk': {
      const talk = existing(state);
      assertParticipant(talk, command.by);
      if (talk.status === 'planned') {
        throw conflict('TALK.NOT_HELD', 'A talk is credited once it has been held');
      }
      return decideCredit(
        command,
        { kind: 'prevention-talk', workId: talk.talkId, doneOn: talk.held.heldOn, placeIds: [] },
        talk.credits,
      );
    }
    case 'WithdrawTalkCredit': {
      const talk = existing(state);
      assertParticipant(talk, command.by);
      return decideCreditWithdrawal(command, talk.talkId, talk.credits);
    }
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
      legalGround: d.legalGround,
      participants: d.participants,
      consentInForce: false,
      consents: [],
      held: null,
      followUps: [],
      credits: new Map(),
    };
  }
  // Events of a stream follow its PreventionTalkPlanned; one before it would be a corrupt log.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PreventionTalkParticipantsChanged':
      // Only before the talk is held (the decider refuses it after).
      if (state.status !== 'planned') return state;
      return { ...state, participants: event.data.participants };
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
    case 'CommitmentCredited':
    case 'CommitmentCreditWithdrawn':
      return { ...state, credits: evolveCredits(state.credits, event) };
    default:
      return unreachable(event);
  }
}

/**
 * Who reads the talk: the planned participants (as last changed) and those who held it, by
 * agency and role, the same union the feed sends the talk to.
 */
export function talkReaders(talk: Existing): readonly Participant[] {
  const all = [...talk.participants, ...(talk.held?.participants ?? [])];
  return all.filter(
    (p, i) => all.findIndex((q) => q.agency === p.agency && q.role === p.role) === i,
  );
}

export const preventionTalkDecider: Decider<
  PreventionTalkCommand,
  PreventionTalkEvent,
  PreventionTalkState
> = { decide, evolve, initialState: { status: 'none' } };
