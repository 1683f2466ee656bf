import fc from 'fast-check';
import type { PromiseFacts } from '../citizen-promise/commitment-credits';
import type { Actor } from '../actor';
import type { AgencyCode } from '../agencies/agencies';
import { DomainError } from '../domain-error';
import { specFor } from '../given-when-then';
import { containsPersonalIdentityNumber } from '../personal-data';
import type {
  ChangeTalkParticipants,
  FollowUpTalk,
  PlanPreventionTalk,
  PreventionTalkCommand,
  RecordConsent,
  RecordTalkHeld,
  WithdrawConsent,
} from './prevention-talks.commands';
import {
  preventionTalkDecider,
  talkReaders,
  type PreventionTalkState,
} from './prevention-talk.decider';
import { PREVENTION_TALK_UPCASTS } from './prevention-talks.upcasts';
import { currentSchemaVersion } from '../event-schemas';
import {
  PREVENTION_TALK_EVENT_TYPES,
  preventionTalkStream,
  type ConsentRecorded,
  type ConsentWithdrawn,
  type Participant,
  type PreventionTalkParticipantsChanged,
  type PreventionTalkEvent,
  type PreventionTalkFollowedUp,
  type PreventionTalkHeld,
  type PreventionTalkPlanned,
} from './prevention-talks.events';

const officer: Actor = { userId: 'u-officer', agency: 'police', role: 'officer' };
const socialWorker: Actor = {
  userId: 'u-social',
  agency: 'social-services',
  role: 'social-worker',
};
const fieldWorker: Actor = { userId: 'u-field', agency: 'social-services', role: 'field-worker' };
const studentHealth: Actor = { userId: 'u-health', agency: 'school', role: 'student-health' };
const youthWorker: Actor = { userId: 'u-youth', agency: 'leisure', role: 'youth-worker' };
const at = new Date('2024-06-01T10:00:00Z');
/** A valid personal identity number (check digit right): it must never reach an event. */
const PIN = '811218-9876';

const spec = specFor(preventionTalkDecider);

const police: Participant = { agency: 'police', role: 'officer' };
const social: Participant = { agency: 'social-services', role: 'social-worker' };
const school: Participant = { agency: 'school', role: 'student-health' };

const planned: PreventionTalkPlanned = {
  type: 'PreventionTalkPlanned',
  data: {
    talkId: 't-1',
    subjectRef: 'SOC-7F3K9Q',
    plannedFor: '2024-05-20',
    participants: [police, social, school],
    purpose: 'Oro för alkohol och skolfrånvaro',
    legalGround: { basis: 'consent' },
  },
};
/** The same talk planned without the school. */
const plannedWithoutSchool: PreventionTalkPlanned = {
  ...planned,
  data: { ...planned.data, participants: [police, social] },
};
const consented: ConsentRecorded = {
  type: 'ConsentRecorded',
  data: {
    consentId: 'c-1',
    recordedOn: '2024-05-10',
    givenBy: ['guardian'],
    subjectAged15OrOver: false,
    scope: 'Polis, socialtjänst och skola får samtala om ungdomen',
  },
};
const withdrawn: ConsentWithdrawn = {
  type: 'ConsentWithdrawn',
  data: { withdrawnOn: '2024-05-25', reason: 'Vårdnadshavarna återkallar samtycket' },
};
const held: PreventionTalkHeld = {
  type: 'PreventionTalkHeld',
  data: {
    heldOn: '2024-05-20',
    participants: [police, social],
    guardiansPresent: true,
    outcome: 'Överens om en aktivitet på fritidsgården och kontakt med elevhälsan',
    agreedFollowUp: [
      {
        action: 'Följa med till fritidsgården',
        responsibleAgency: 'social-services',
        dueOn: '2024-06-15',
      },
    ],
  },
};
const followedUp: PreventionTalkFollowedUp = {
  type: 'PreventionTalkFollowedUp',
  data: { followedUpOn: '2024-05-30', notes: 'Har börjat på fritidsgården', closed: false },
};
const closed: PreventionTalkFollowedUp = {
  type: 'PreventionTalkFollowedUp',
  data: { followedUpOn: '2024-05-31', notes: 'Målen nådda', closed: true },
};

/** Leisure (fritidsverksamhet): SSPF is school, social services, police and leisure. */
const youth: Participant = { agency: 'leisure', role: 'youth-worker' };
const preventivePurpose =
  'Ungdomen har återkommit i narkotikabrott; samtalet ska bryta kontakten med säljarna';
const ground18a = { basis: 'osl-10-18a', subjectUnder21: true, preventivePurpose } as const;
/** A talk between social services and the police under 10 kap. 18 a § OSL: no consent needed. */
const planned18a: PreventionTalkPlanned = {
  type: 'PreventionTalkPlanned',
  data: { ...planned.data, participants: [police, social], legalGround: ground18a },
};
/** Before the talk: the school leaves, the youth centre joins. */
const changed: PreventionTalkParticipantsChanged = {
  type: 'PreventionTalkParticipantsChanged',
  data: {
    participants: [police, social, youth],
    reason: 'Fritidsgården känner ungdomen; elevhälsan följer upp i skolan på egen hand',
  },
};

const planTalk = (by: Actor, over: Partial<PlanPreventionTalk> = {}): PlanPreventionTalk => ({
  type: 'PlanPreventionTalk',
  by,
  at,
  ...planned.data,
  ...over,
});
const changeParticipants = (
  by: Actor,
  over: Partial<ChangeTalkParticipants> = {},
): ChangeTalkParticipants => ({
  type: 'ChangeTalkParticipants',
  by,
  at,
  ...changed.data,
  ...over,
});
const recordConsent = (by: Actor, over: Partial<RecordConsent> = {}): RecordConsent => ({
  type: 'RecordConsent',
  by,
  at,
  ...consented.data,
  ...over,
});
const withdrawConsent = (by: Actor, over: Partial<WithdrawConsent> = {}): WithdrawConsent => ({
  type: 'WithdrawConsent',
  by,
  at,
  ...withdrawn.data,
  ...over,
});
const recordHeld = (by: Actor, over: Partial<RecordTalkHeld> = {}): RecordTalkHeld => ({
  type: 'RecordTalkHeld',
  by,
  at,
  ...held.data,
  ...over,
});
const followUp = (by: Actor, over: Partial<FollowUpTalk> = {}): FollowUpTalk => ({
  type: 'FollowUpTalk',
  by,
  at,
  ...followedUp.data,
  ...over,
});

type Existing = Exclude<PreventionTalkState, { status: 'none' }>;
const stateAfter = (...events: PreventionTalkEvent[]): Existing =>
  spec.given(...events).state as Existing;

describe('prevention talk: the stream', () => {
  it('names its stream after the talk and lists its event types', () => {
    expect(preventionTalkStream('t-1')).toBe('prevention-talk-t-1');
    expect([...PREVENTION_TALK_EVENT_TYPES].sort()).toEqual(
      [
        'CommitmentCredited',
        'CommitmentCreditWithdrawn',
        'ConsentRecorded',
        'ConsentWithdrawn',
        'PreventionTalkFollowedUp',
        'PreventionTalkHeld',
        'PreventionTalkParticipantsChanged',
        'PreventionTalkPlanned',
      ].sort(),
    );
  });
});

describe('prevention talk: planning a joint talk', () => {
  it('plans a talk by social services or the police, with the planner among the participants', () => {
    spec.given().when(planTalk(socialWorker)).then(planned);
    spec.given().when(planTalk(officer)).then(planned);
    const state = stateAfter(planned);
    expect(state).toMatchObject({
      status: 'planned',
      talkId: 't-1',
      subjectRef: 'SOC-7F3K9Q',
      participants: [police, social, school],
      consentInForce: false,
      held: null,
    });
  });
  it('refuses to plan the same talk twice', () => {
    spec.given(planned).when(planTalk(officer)).thenRefused('TALK.ALREADY_PLANNED', 'conflict');
  });
  it('lets only the police and social services plan', () => {
    spec.given().when(planTalk(studentHealth)).thenRefused('TALK.PLANNER_NOT_ALLOWED', 'forbidden');
    spec
      .given()
      .when(planTalk(youthWorker, { participants: [police, social, youthWorker] }))
      .thenRefused('TALK.PLANNER_NOT_ALLOWED', 'forbidden');
  });
  it('refuses a planner who is not among the participants in their own role', () => {
    spec
      .given()
      .when(planTalk(fieldWorker))
      .thenRefused('TALK.PLANNER_NOT_PARTICIPANT', 'rejected');
    expect(
      spec
        .given()
        .when(planTalk(fieldWorker, { participants: [police, social, fieldWorker] }))
        .events(),
    ).toHaveLength(1);
  });
  it('refuses a talk without both the police and social services', () => {
    spec
      .given()
      .when(planTalk(socialWorker, { participants: [social, school] }))
      .thenRefused('TALK.NOT_JOINT', 'rejected');
    spec
      .given()
      .when(planTalk(officer, { participants: [police, school] }))
      .thenRefused('TALK.NOT_JOINT', 'rejected');
  });
  it('takes only the SSPF agencies (police, social services, school, leisure), each in a role of its own that takes part in person, once', () => {
    const refuses = (participants: Participant[]) =>
      spec
        .given()
        .when(planTalk(officer, { participants }))
        .thenRefused('TALK.INVALID_PARTICIPANT', 'rejected');
    refuses([police, social, { agency: 'leisure', role: 'officer' }]);
    refuses([police, social, { agency: 'municipality', role: 'safety-coordinator' }]);
    refuses([police, social, { agency: 'housing-company', role: 'property-manager' }]);
    refuses([police, { agency: 'social-services', role: 'officer' }]);
    refuses([police, social, { agency: 'school', role: 'social-worker' }]);
    refuses([police, social, { agency: 'police', role: 'auditor' }]);
    refuses([police, social, { agency: 'school', role: 'data-protection-officer' }]);
    refuses([police, social, { agency: 'social-services', role: 'agency-system' }]);
    refuses([police, social, social]);
  });
  it('refers to the young person only by a pseudonymous reference, never a personal identity number', () => {
    for (const subjectRef of [
      'Kalle Svensson',
      'soc-7f3k9q',
      'SOC7F3K9Q',
      'SOCIALT-7F3K9Q',
      'SOC-7F3',
      PIN,
      'SOC-8112189876',
      'SOC-198112189876',
    ]) {
      const refusal = spec
        .given()
        .when(planTalk(socialWorker, { subjectRef }))
        .thenRefused('TALK.SUBJECT_NOT_PSEUDONYMOUS', 'rejected');
      expect(containsPersonalIdentityNumber(refusal.message)).toBe(false);
    }
    // The same shape without a valid check digit is an opaque code, not a person.
    expect(
      spec
        .given()
        .when(planTalk(socialWorker, { subjectRef: 'SOC-8112189875' }))
        .events(),
    ).toHaveLength(1);
  });
  it('refuses a personal identity number in the purpose and a date that does not exist', () => {
    spec
      .given()
      .when(planTalk(socialWorker, { purpose: `Samtal om ${PIN}` }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
    spec
      .given()
      .when(planTalk(socialWorker, { plannedFor: '2024-02-30' }))
      .thenRefused('TALK.INVALID_DATE', 'rejected');
  });
});

describe('prevention talk: only the planned agencies act on a talk that exists', () => {
  const commands = (by: Actor): PreventionTalkCommand[] => [
    changeParticipants(by),
    recordConsent(by),
    withdrawConsent(by),
    recordHeld(by),
    followUp(by),
  ];
  it('refuses anything on a talk that is not planned', () => {
    for (const command of commands(socialWorker)) {
      spec.given().when(command).thenRefused('TALK.NOT_FOUND', 'not_found');
    }
  });
  it('refuses every command by an agency that is not among the planned participants', () => {
    for (const command of commands(youthWorker)) {
      spec.given(planned, consented, held).when(command).thenRefused('TALK.NOT_FOUND', 'not_found');
    }
    for (const command of commands(studentHealth)) {
      spec
        .given(plannedWithoutSchool, consented, held)
        .when(command)
        .thenRefused('TALK.NOT_FOUND', 'not_found');
    }
  });
  it('lets the participating roles act, and answers another role of a participating agency as if there were no talk', () => {
    spec.given(planned).when(recordConsent(studentHealth)).then(consented);
    spec.given(planned, consented).when(recordHeld(socialWorker)).then(held);
    // A field worker of social services does not take part (the social worker does): the
    // refusal says nothing of the talk's state or dates.
    spec
      .given(planned, consented)
      .when(recordHeld(fieldWorker))
      .thenRefused('TALK.NOT_FOUND', 'not_found');
  });
});

describe('prevention talk: consent', () => {
  it('records the guardians’ consent; it is then in force', () => {
    spec.given(planned).when(recordConsent(socialWorker)).then(consented);
    const state = stateAfter(planned, consented);
    expect(state.consentInForce).toBe(true);
    expect(state.consents).toEqual([
      { ...consented.data, withdrawnOn: null, withdrawalReason: null },
    ]);
  });
  it('needs the guardians, and from 15 the young person too', () => {
    spec
      .given(planned)
      .when(recordConsent(socialWorker, { givenBy: ['young-person'] }))
      .thenRefused('TALK.CONSENT_INCOMPLETE', 'rejected');
    spec
      .given(planned)
      .when(recordConsent(socialWorker, { givenBy: [] }))
      .thenRefused('TALK.CONSENT_INCOMPLETE', 'rejected');
    spec
      .given(planned)
      .when(recordConsent(socialWorker, { givenBy: ['guardian'], subjectAged15OrOver: true }))
      .thenRefused('TALK.CONSENT_INCOMPLETE', 'rejected');
    spec
      .given(planned)
      .when(
        recordConsent(socialWorker, {
          givenBy: ['guardian', 'young-person'],
          subjectAged15OrOver: true,
        }),
      )
      .then({
        type: 'ConsentRecorded',
        data: {
          ...consented.data,
          givenBy: ['guardian', 'young-person'],
          subjectAged15OrOver: true,
        },
      });
  });
  it('needs a scope without a personal identity number', () => {
    spec
      .given(planned)
      .when(recordConsent(socialWorker, { scope: '  ' }))
      .thenRefused('TALK.CONSENT_INCOMPLETE', 'rejected');
    spec
      .given(planned)
      .when(recordConsent(socialWorker, { scope: `Gäller ${PIN}` }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
  it('refuses a second consent while one is in force, and a consent id used before', () => {
    spec
      .given(planned, consented)
      .when(recordConsent(socialWorker, { consentId: 'c-2' }))
      .thenRefused('TALK.CONSENT_ALREADY_RECORDED', 'conflict');
    spec
      .given(planned, consented, withdrawn)
      .when(recordConsent(socialWorker, { recordedOn: '2024-05-26' }))
      .thenRefused('TALK.CONSENT_ALREADY_RECORDED', 'conflict');
  });
  it('records a new consent after a withdrawal, dated on or after it', () => {
    spec
      .given(planned, consented, withdrawn)
      .when(recordConsent(socialWorker, { consentId: 'c-2', recordedOn: '2024-05-26' }))
      .then({
        type: 'ConsentRecorded',
        data: { ...consented.data, consentId: 'c-2', recordedOn: '2024-05-26' },
      });
    spec
      .given(planned, consented, withdrawn)
      .when(recordConsent(socialWorker, { consentId: 'c-2', recordedOn: '2024-05-24' }))
      .thenRefused('TALK.DATE_OUT_OF_ORDER', 'rejected');
  });
  it('refuses a consent dated in the future (Swedish date)', () => {
    spec
      .given(planned)
      .when(recordConsent(socialWorker, { recordedOn: '2024-06-02' }))
      .thenRefused('TALK.DATE_IN_FUTURE', 'rejected');
    // 23:30 UTC on 1 June is already 2 June in Sweden.
    expect(
      spec
        .given(planned)
        .when({
          ...recordConsent(socialWorker, { recordedOn: '2024-06-02' }),
          at: new Date('2024-06-01T23:30:00Z'),
        })
        .events(),
    ).toHaveLength(1);
  });
  it('refuses a consent on a closed talk', () => {
    spec
      .given(planned, consented, held, closed, withdrawn)
      .when(recordConsent(socialWorker, { consentId: 'c-2', recordedOn: '2024-06-01' }))
      .thenRefused('TALK.CLOSED', 'conflict');
  });
});

describe('prevention talk: withdrawing consent', () => {
  it('withdraws the consent in force with a reason', () => {
    spec.given(planned, consented).when(withdrawConsent(socialWorker)).then(withdrawn);
    const state = stateAfter(planned, consented, withdrawn);
    expect(state.consentInForce).toBe(false);
    expect(state.consents[0]).toMatchObject({
      withdrawnOn: '2024-05-25',
      withdrawalReason: withdrawn.data.reason,
    });
  });
  it('can always be withdrawn, also after the talk is closed', () => {
    spec.given(planned, consented, held, closed).when(withdrawConsent(officer)).then(withdrawn);
  });
  it('refuses to withdraw when no consent is in force', () => {
    spec
      .given(planned)
      .when(withdrawConsent(socialWorker))
      .thenRefused('TALK.NO_CONSENT', 'conflict');
    spec
      .given(planned, consented, withdrawn)
      .when(withdrawConsent(socialWorker))
      .thenRefused('TALK.NO_CONSENT', 'conflict');
  });
  it('needs a reason without a personal identity number', () => {
    spec
      .given(planned, consented)
      .when(withdrawConsent(socialWorker, { reason: ' ' }))
      .thenRefused('TALK.REASON_REQUIRED', 'rejected');
    spec
      .given(planned, consented)
      .when(withdrawConsent(socialWorker, { reason: `Återkallat av ${PIN}` }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
  it('refuses a withdrawal dated in the future or before the consent was given', () => {
    spec
      .given(planned, consented)
      .when(withdrawConsent(socialWorker, { withdrawnOn: '2024-06-02' }))
      .thenRefused('TALK.DATE_IN_FUTURE', 'rejected');
    spec
      .given(planned, consented)
      .when(withdrawConsent(socialWorker, { withdrawnOn: '2024-05-09' }))
      .thenRefused('TALK.DATE_OUT_OF_ORDER', 'rejected');
  });
});

describe('prevention talk: the talk is held only with consent in force', () => {
  it('records the talk held by the planned agencies; roles may differ from the plan', () => {
    spec.given(planned, consented).when(recordHeld(officer)).then(held);
    const municipalPolice: Participant = { agency: 'police', role: 'municipal-police-officer' };
    spec
      .given(planned, consented)
      .when(recordHeld(officer, { participants: [municipalPolice, social, school] }))
      .then({ ...held, data: { ...held.data, participants: [municipalPolice, social, school] } });
    const state = stateAfter(planned, consented, held);
    expect(state.status).toBe('held');
    expect(state.held).toEqual(held.data);
    expect(state.participants).toEqual(planned.data.participants);
  });
  it('refuses a talk without consent in force: the partners may not discuss the young person', () => {
    spec.given(planned).when(recordHeld(officer)).thenRefused('TALK.NO_CONSENT', 'rejected');
    spec
      .given(planned, consented, withdrawn)
      .when(recordHeld(officer, { heldOn: '2024-05-26' }))
      .thenRefused('TALK.NO_CONSENT', 'rejected');
  });
  it('refuses a talk dated before the consent was given', () => {
    spec
      .given(planned, consented)
      .when(recordHeld(officer, { heldOn: '2024-05-09' }))
      .thenRefused('TALK.HELD_BEFORE_CONSENT', 'rejected');
    spec
      .given(planned, consented)
      .when(recordHeld(officer, { heldOn: '2024-05-10', agreedFollowUp: [] }))
      .then({ ...held, data: { ...held.data, heldOn: '2024-05-10', agreedFollowUp: [] } });
  });
  it('refuses a talk held twice', () => {
    spec
      .given(planned, consented, held)
      .when(recordHeld(officer))
      .thenRefused('TALK.ALREADY_HELD', 'conflict');
    spec
      .given(planned, consented, held, closed)
      .when(recordHeld(officer))
      .thenRefused('TALK.ALREADY_HELD', 'conflict');
  });
  it('refuses a talk dated in the future', () => {
    spec
      .given(planned, consented)
      .when(recordHeld(officer, { heldOn: '2024-06-02' }))
      .thenRefused('TALK.DATE_IN_FUTURE', 'rejected');
  });
  it('needs the police and social services present', () => {
    spec
      .given(planned, consented)
      .when(recordHeld(officer, { participants: [police, school] }))
      .thenRefused('TALK.NOT_JOINT', 'rejected');
    spec
      .given(planned, consented)
      .when(recordHeld(socialWorker, { participants: [social] }))
      .thenRefused('TALK.NOT_JOINT', 'rejected');
  });
  it('takes only agencies that were planned to take part, in roles of their own', () => {
    spec
      .given(plannedWithoutSchool, consented)
      .when(recordHeld(officer, { participants: [police, social, school] }))
      .thenRefused('TALK.INVALID_PARTICIPANT', 'rejected');
    spec
      .given(planned, consented)
      .when(
        recordHeld(officer, {
          participants: [police, social, { agency: 'leisure', role: 'youth-worker' }],
        }),
      )
      .thenRefused('TALK.INVALID_PARTICIPANT', 'rejected');
    spec
      .given(planned, consented)
      .when(
        recordHeld(officer, {
          participants: [police, social, { agency: 'school', role: 'officer' }],
        }),
      )
      .thenRefused('TALK.INVALID_PARTICIPANT', 'rejected');
    spec
      .given(planned, consented)
      .when(
        recordHeld(officer, {
          participants: [police, social, { agency: 'police', role: 'auditor' }],
        }),
      )
      .thenRefused('TALK.INVALID_PARTICIPANT', 'rejected');
  });
  it('refuses a personal identity number in the outcome or an agreed action, and an action due before the talk', () => {
    spec
      .given(planned, consented)
      .when(recordHeld(officer, { outcome: `Samtal med ${PIN}` }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
    spec
      .given(planned, consented)
      .when(
        recordHeld(officer, {
          agreedFollowUp: [
            { action: `Kontakta ${PIN}`, responsibleAgency: 'school', dueOn: '2024-06-15' },
          ],
        }),
      )
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
    spec
      .given(planned, consented)
      .when(
        recordHeld(officer, {
          agreedFollowUp: [
            { action: 'Elevhälsan', responsibleAgency: 'school', dueOn: '2024-05-19' },
          ],
        }),
      )
      .thenRefused('TALK.DATE_BEFORE_TALK', 'rejected');
  });
});

describe('prevention talk: follow-up', () => {
  it('follows up a held talk; a closing follow-up closes it', () => {
    spec.given(planned, consented, held).when(followUp(socialWorker)).then(followedUp);
    spec
      .given(planned, consented, held, followedUp)
      .when(followUp(officer, closed.data))
      .then(closed);
    expect(stateAfter(planned, consented, held, followedUp).status).toBe('held');
    const state = stateAfter(planned, consented, held, followedUp, closed);
    expect(state.status).toBe('closed');
    expect(state.followUps).toEqual([followedUp.data, closed.data]);
  });
  it('refuses a follow-up before the talk is held', () => {
    spec
      .given(planned, consented)
      .when(followUp(socialWorker))
      .thenRefused('TALK.NOT_HELD', 'conflict');
  });
  it('refuses a follow-up after the talk is closed', () => {
    spec
      .given(planned, consented, held, closed)
      .when(followUp(socialWorker, { followedUpOn: '2024-06-01' }))
      .thenRefused('TALK.CLOSED', 'conflict');
  });
  it('refuses a follow-up without consent in force', () => {
    spec
      .given(planned, consented, held, withdrawn)
      .when(followUp(socialWorker, { followedUpOn: '2024-05-26' }))
      .thenRefused('TALK.NO_CONSENT', 'rejected');
  });
  it('refuses a follow-up dated in a gap between a withdrawal and a new consent', () => {
    const renewed: ConsentRecorded = {
      type: 'ConsentRecorded',
      data: { ...consented.data, consentId: 'c-2', recordedOn: '2024-05-28' },
    };
    spec
      .given(planned, consented, held, withdrawn, renewed)
      .when(followUp(socialWorker, { followedUpOn: '2024-05-26' }))
      .thenRefused('TALK.NO_CONSENT', 'rejected');
    spec
      .given(planned, consented, held, withdrawn, renewed)
      .when(followUp(socialWorker, { followedUpOn: '2024-05-28' }))
      .then({ ...followedUp, data: { ...followedUp.data, followedUpOn: '2024-05-28' } });
  });
  it('refuses a follow-up dated before the talk or in the future', () => {
    spec
      .given(planned, consented, held)
      .when(followUp(socialWorker, { followedUpOn: '2024-05-19' }))
      .thenRefused('TALK.DATE_BEFORE_TALK', 'rejected');
    spec
      .given(planned, consented, held)
      .when(followUp(socialWorker, { followedUpOn: '2024-06-02' }))
      .thenRefused('TALK.DATE_IN_FUTURE', 'rejected');
  });
  it('refuses a personal identity number in the notes', () => {
    spec
      .given(planned, consented, held)
      .when(followUp(socialWorker, { notes: `Pratat med ${PIN.replace('-', '')}` }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
});

describe('prevention talk: leisure takes part (SSPF is school, social services, police and leisure)', () => {
  const withLeisure: PreventionTalkPlanned = {
    ...planned,
    data: { ...planned.data, participants: [police, social, youth] },
  };
  it('plans a talk on consent with the youth centre taking part, in either leisure role', () => {
    spec
      .given()
      .when(planTalk(socialWorker, { participants: [police, social, youth] }))
      .then(withLeisure);
    const manager: Participant = { agency: 'leisure', role: 'leisure-manager' };
    expect(
      spec
        .given()
        .when(planTalk(officer, { participants: [police, social, youth, manager] }))
        .events(),
    ).toHaveLength(1);
  });
  it('lets leisure take part but not plan: police and social services plan', () => {
    spec
      .given()
      .when(planTalk(youthWorker, { participants: [police, social, youth] }))
      .thenRefused('TALK.PLANNER_NOT_ALLOWED', 'forbidden');
  });
  it('lets a leisure participant record on the talk, as any planned agency', () => {
    spec.given(withLeisure).when(recordConsent(youthWorker)).then(consented);
    spec
      .given(withLeisure, consented)
      .when(recordHeld(youthWorker, { participants: [police, social, youth] }))
      .then({ ...held, data: { ...held.data, participants: [police, social, youth] } });
  });
});

describe('prevention talk: the legal ground it rests on', () => {
  it('plans a talk under 10 kap. 18 a § OSL between social services and the police, and shows the ground', () => {
    spec
      .given()
      .when(planTalk(socialWorker, { participants: [police, social], legalGround: ground18a }))
      .then(planned18a);
    expect(stateAfter(planned18a).legalGround).toEqual(ground18a);
    expect(stateAfter(planned).legalGround).toEqual({ basis: 'consent' });
  });
  it('keeps the preventive purpose as stated, without the spaces around it', () => {
    spec
      .given()
      .when(
        planTalk(officer, {
          participants: [police, social],
          legalGround: { ...ground18a, preventivePurpose: `  ${preventivePurpose}\n` },
        }),
      )
      .then(planned18a);
  });
  it('refuses school or leisure at an 18 a § talk: the provision breaks secrecy only between social services and the police', () => {
    for (const participants of [
      [police, social, school],
      [police, social, youth],
    ]) {
      spec
        .given()
        .when(planTalk(socialWorker, { participants, legalGround: ground18a }))
        .thenRefused('TALK.GROUND_EXCLUDES_AGENCY', 'rejected');
    }
  });
  it('refuses an 18 a § talk unless the young person is under 21', () => {
    spec
      .given()
      .when(
        planTalk(socialWorker, {
          participants: [police, social],
          legalGround: { ...ground18a, subjectUnder21: false },
        }),
      )
      .thenRefused('TALK.GROUND_REQUIRES_UNDER_21', 'rejected');
  });
  it('refuses an 18 a § talk without a stated preventive purpose, or with a personal identity number in it', () => {
    for (const purpose of ['', '   ', 'SSPF', '  oro  oro  ']) {
      spec
        .given()
        .when(
          planTalk(socialWorker, {
            participants: [police, social],
            legalGround: { ...ground18a, preventivePurpose: purpose },
          }),
        )
        .thenRefused('TALK.GROUND_REQUIRES_PURPOSE', 'rejected');
    }
    spec
      .given()
      .when(
        planTalk(socialWorker, {
          participants: [police, social],
          legalGround: { ...ground18a, preventivePurpose: `Förebygga brott av ${PIN}` },
        }),
      )
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
  it('refuses to record a consent on an 18 a § talk: it rests on another ground', () => {
    spec
      .given(planned18a)
      .when(recordConsent(socialWorker))
      .thenRefused('TALK.GROUND_IS_NOT_CONSENT', 'rejected');
    spec
      .given(planned18a)
      .when(withdrawConsent(socialWorker))
      .thenRefused('TALK.NO_CONSENT', 'conflict');
  });
  it('holds and follows up an 18 a § talk without consent', () => {
    spec.given(planned18a).when(recordHeld(officer)).then(held);
    spec.given(planned18a, held).when(followUp(socialWorker)).then(followedUp);
    spec.given(planned18a, held, followedUp).when(followUp(officer, closed.data)).then(closed);
  });
  it('refuses a held talk whose participants break its ground, naming the ground', () => {
    spec
      .given(planned18a)
      .when(recordHeld(officer, { participants: [police, social, school] }))
      .thenRefused('TALK.GROUND_EXCLUDES_AGENCY', 'rejected');
    spec
      .given(planned18a)
      .when(recordHeld(officer, { participants: [police, social, youth] }))
      .thenRefused('TALK.GROUND_EXCLUDES_AGENCY', 'rejected');
  });
  it('still needs consent for a talk that rests on it', () => {
    spec.given(planned).when(recordHeld(officer)).thenRefused('TALK.NO_CONSENT', 'rejected');
  });
});

describe('prevention talk: changing who takes part before the talk', () => {
  it('changes the participants with a reason; the new list decides who acts', () => {
    spec.given(planned).when(changeParticipants(socialWorker)).then(changed);
    const state = stateAfter(planned, changed);
    expect(state.participants).toEqual([police, social, youth]);
    spec.given(planned, changed).when(recordConsent(youthWorker)).then(consented);
    spec
      .given(planned, changed)
      .when(recordConsent(studentHealth))
      .thenRefused('TALK.NOT_FOUND', 'not_found');
  });
  it('checks the held talk against the changed participants', () => {
    spec
      .given(planned, changed, consented)
      .when(recordHeld(officer, { participants: [police, social, youth] }))
      .then({ ...held, data: { ...held.data, participants: [police, social, youth] } });
    spec
      .given(planned, changed, consented)
      .when(recordHeld(officer, { participants: [police, social, school] }))
      .thenRefused('TALK.INVALID_PARTICIPANT', 'rejected');
  });
  it('changes roles within social services and the police on an 18 a § talk', () => {
    const field: Participant = { agency: 'social-services', role: 'field-worker' };
    spec
      .given(planned18a)
      .when(changeParticipants(officer, { participants: [police, field] }))
      .then({ ...changed, data: { ...changed.data, participants: [police, field] } });
  });
  it('refuses a change that breaks the ground: no school or leisure at an 18 a § talk', () => {
    for (const participants of [
      [police, social, school],
      [police, social, youth],
    ]) {
      spec
        .given(planned18a)
        .when(changeParticipants(socialWorker, { participants }))
        .thenRefused('TALK.GROUND_EXCLUDES_AGENCY', 'rejected');
    }
  });
  it('keeps the talk joint, and its participants valid', () => {
    spec
      .given(planned)
      .when(changeParticipants(socialWorker, { participants: [social, school] }))
      .thenRefused('TALK.NOT_JOINT', 'rejected');
    spec
      .given(planned)
      .when(
        changeParticipants(socialWorker, {
          participants: [police, social, { agency: 'housing-company', role: 'property-manager' }],
        }),
      )
      .thenRefused('TALK.INVALID_PARTICIPANT', 'rejected');
  });
  it('keeps the one who changes it among the participants, in their own role', () => {
    spec
      .given(planned)
      .when(
        changeParticipants(socialWorker, {
          participants: [police, { agency: 'social-services', role: 'field-worker' }],
        }),
      )
      .thenRefused('TALK.CHANGER_NOT_PARTICIPANT', 'rejected');
  });
  it('refuses an outsider before anything about the talk: not even whether it was held', () => {
    spec
      .given(planned, consented, held)
      .when(changeParticipants(youthWorker))
      .thenRefused('TALK.NOT_FOUND', 'not_found');
    spec
      .given(plannedWithoutSchool)
      .when(changeParticipants(studentHealth, { participants: [police, social, school] }))
      .thenRefused('TALK.NOT_FOUND', 'not_found');
  });
  it('refuses a change after the talk was held: who took part is recorded with it', () => {
    spec
      .given(planned, consented, held)
      .when(changeParticipants(socialWorker))
      .thenRefused('TALK.ALREADY_HELD', 'conflict');
    spec
      .given(planned, consented, held, closed)
      .when(changeParticipants(socialWorker))
      .thenRefused('TALK.ALREADY_HELD', 'conflict');
  });
  it('refuses a change that changes nothing, and one without a reason', () => {
    spec
      .given(planned)
      .when(changeParticipants(socialWorker, { participants: [school, social, police] }))
      .thenRefused('TALK.PARTICIPANTS_UNCHANGED', 'conflict');
    spec
      .given(planned)
      .when(changeParticipants(socialWorker, { reason: ' ' }))
      .thenRefused('TALK.REASON_REQUIRED', 'rejected');
    spec
      .given(planned)
      .when(changeParticipants(socialWorker, { reason: `Ny kontakt: ${PIN}` }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
});

describe('prevention talk: talks planned before a ground was stated', () => {
  const v1 = {
    talkId: 't-1',
    subjectRef: 'SOC-7F3K9Q',
    plannedFor: '2024-05-20',
    participants: [police, social, school],
    purpose: 'Oro för alkohol och skolfrånvaro',
  };
  const upcast = PREVENTION_TALK_UPCASTS.find(
    (u) => u.type === 'PreventionTalkPlanned' && u.fromVersion === 1,
  )!;
  it('reads a version-1 PreventionTalkPlanned as resting on consent, the only way then', () => {
    const read = upcast.upcast(v1);
    expect(read).toEqual({ ...v1, legalGround: { basis: 'consent' } });
    expect(v1).not.toHaveProperty('legalGround');
    expect(currentSchemaVersion('PreventionTalkPlanned')).toBe(2);
    expect(currentSchemaVersion('PreventionTalkParticipantsChanged')).toBe(1);
    // And such a talk still needs consent in force to be held.
    const upcasted = { type: 'PreventionTalkPlanned', data: read } as PreventionTalkPlanned;
    spec.given(upcasted).when(recordHeld(officer)).thenRefused('TALK.NO_CONSENT', 'rejected');
  });
});

describe('prevention talk: credited to a commitment of a promise', () => {
  const promise: PromiseFacts = {
    status: 'in_force',
    period: { from: '2023-01-01', to: '2025-12-31' },
    commitments: new Map([
      ['joint-prevention-talks', { owner: 'joint', withdrawn: false }],
      ['police-traffic-controls', { owner: 'police', withdrawn: false }],
    ] as const),
  };
  const creditTalk = (
    by: Actor,
    commitmentId = 'joint-prevention-talks',
  ): PreventionTalkCommand => ({
    type: 'CreditTalk',
    by,
    at,
    promiseId: 'hammaro-2023-2025',
    commitmentId,
    promise,
  });
  const credited: PreventionTalkEvent = {
    type: 'CommitmentCredited',
    data: {
      promiseId: 'hammaro-2023-2025',
      commitmentId: 'joint-prevention-talks',
      work: { kind: 'prevention-talk', workId: 't-1', doneOn: held.data.heldOn, placeIds: [] },
    },
  };

  it('credits a held talk to a joint commitment, on the day it was held and with no place', () => {
    spec.given(planned, consented, held).when(creditTalk(socialWorker)).then(credited);
  });

  it('credits a talk only once it has been held', () => {
    spec
      .given(planned, consented)
      .when(creditTalk(socialWorker))
      .thenRefused('TALK.NOT_HELD', 'conflict');
  });

  it('answers an agency outside the talk as if there were no talk', () => {
    spec
      .given(planned, consented, held)
      .when(creditTalk(youthWorker))
      .thenRefused('TALK.NOT_FOUND', 'not_found');
  });

  it('refuses a commitment the crediting agency does not carry (a police commitment, for social services)', () => {
    spec
      .given(planned, consented, held)
      .when(creditTalk(socialWorker, 'police-traffic-controls'))
      .thenRefused('CREDIT.NOT_COMMITMENT_OWNER', 'forbidden');
  });

  it('credits it once; a withdrawn credit may be given again', () => {
    spec
      .given(planned, consented, held, credited)
      .when(creditTalk(officer))
      .thenRefused('CREDIT.ALREADY_CREDITED', 'conflict');
    const withdrawn: PreventionTalkEvent = {
      type: 'CommitmentCreditWithdrawn',
      data: {
        promiseId: 'hammaro-2023-2025',
        commitmentId: 'joint-prevention-talks',
        workId: 't-1',
        reason: 'Fel åtagande',
      },
    };
    spec
      .given(planned, consented, held, credited)
      .when({
        type: 'WithdrawTalkCredit',
        by: officer,
        at,
        promiseId: 'hammaro-2023-2025',
        commitmentId: 'joint-prevention-talks',
        promise,
        reason: 'Fel åtagande',
      })
      .then(withdrawn);
    spec
      .given(planned, consented, held, credited, withdrawn)
      .when(creditTalk(officer))
      .then(credited);
  });
});

describe('prevention talk: invariants for any sequence of commands', () => {
  const dates = [
    '2024-05-01',
    '2024-05-10',
    '2024-05-20',
    '2024-05-25',
    '2024-06-01',
    '2024-06-02',
  ];
  const date = fc.constantFrom(...dates);
  // Mostly the talk's own agencies, so that runs get past who-may-act to the consent rules.
  const by = fc.oneof(
    // Mostly the participating roles; the field worker (social services, not taking part) now and
    // then, whom every command on an existing talk must answer as if there were none.
    {
      weight: 4,
      arbitrary: fc.constantFrom(officer, socialWorker, socialWorker, officer, fieldWorker),
    },
    { weight: 1, arbitrary: fc.constantFrom(studentHealth, youthWorker) },
  );
  /** Free text that now and then carries a personal identity number in one of its spellings. */
  const text = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom('Samtal om skolfrånvaro', 'Uppföljning med elevhälsan'),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(`Gäller ${PIN}`, 'Gäller 198112189876', 'Gäller 8112189876'),
    },
  );
  const participants = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom<Participant[]>([police, social], [police, social, school]),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Participant[]>(
        [police, school],
        [police, social, { agency: 'leisure', role: 'youth-worker' }],
      ),
    },
  );

  const legalGround = fc.constantFrom<PlanPreventionTalk['legalGround']>(
    { basis: 'consent' },
    ground18a,
    { ...ground18a, subjectUnder21: false },
    { ...ground18a, preventivePurpose: 'oro' },
  );

  const commandArb: fc.Arbitrary<PreventionTalkCommand> = fc.oneof(
    fc
      .record({
        by,
        subjectRef: fc.constantFrom('SOC-7F3K9Q', 'SOC-8112189876', PIN),
        participants,
        legalGround,
      })
      .map((r) => planTalk(r.by, r)),
    fc
      .record({
        by,
        participants: fc.oneof(
          participants,
          fc.constantFrom<Participant[]>([police, social, youth], [police, social, school, youth]),
        ),
        reason: fc.constantFrom('Ändrat', '', `Av ${PIN}`),
      })
      .map((r) => changeParticipants(r.by, r)),
    // Consent is weighted: the talk and its follow-ups are only reached with one in force.
    {
      weight: 3,
      arbitrary: fc
        .record({
          by,
          consentId: fc.constantFrom('c-1', 'c-2', 'c-3', 'c-4', 'c-5'),
          recordedOn: date,
          givenBy: fc.constantFrom<RecordConsent['givenBy']>(
            ['guardian'],
            ['guardian', 'young-person'],
            ['young-person'],
          ),
          subjectAged15OrOver: fc.boolean(),
          scope: text,
        })
        .map((r) => recordConsent(r.by, r)),
    },
    fc
      .record({ by, withdrawnOn: date, reason: fc.constantFrom('Återkallat', '', `Av ${PIN}`) })
      .map((r) => withdrawConsent(r.by, r)),
    {
      weight: 2,
      arbitrary: fc
        .record({ by, heldOn: date, participants, outcome: text, dueOn: date })
        .map(({ dueOn, ...r }) =>
          recordHeld(r.by, {
            ...r,
            agreedFollowUp: [
              { action: 'Fritidsgården', responsibleAgency: 'social-services', dueOn },
            ],
          }),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ by, followedUpOn: date, notes: text, closed: fc.nat(3).map((n) => n === 0) })
        .map((r) => followUp(r.by, r)),
    },
  );

  const OSL_AGENCIES: AgencyCode[] = ['police', 'social-services'];
  /** Every string anywhere in a value. */
  const strings = (value: unknown): string[] => {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
    return [];
  };

  let talksAccepted = 0;
  let followUpsAccepted = 0;
  let groundTalksAccepted = 0;
  it('no talk or follow-up is accepted without its ground (consent in force, or 18 a § with only social services and the police); nothing accepted holds a personal identity number or comes from outside the talk', () => {
    fc.assert(
      fc.property(
        // Some runs start from nothing, most from a planned talk, some with consent in force.
        fc.constantFrom<PreventionTalkEvent[]>(
          [],
          [planned],
          [plannedWithoutSchool],
          [planned, consented],
          [plannedWithoutSchool, consented],
          [planned18a],
        ),
        fc.array(commandArb, { minLength: 5, maxLength: 60, size: 'max' }),
        (start, commands) => {
          let state = start.reduce(
            preventionTalkDecider.evolve,
            preventionTalkDecider.initialState,
          );
          let closedAlready = state.status === 'closed';
          for (const command of commands) {
            let events: readonly PreventionTalkEvent[];
            try {
              events = preventionTalkDecider.decide(command, state);
            } catch (error) {
              expect(error).toBeInstanceOf(DomainError);
              continue;
            }
            for (const event of events) {
              for (const s of strings(event.data)) {
                expect(containsPersonalIdentityNumber(s)).toBe(false);
              }
              // After closing, only a withdrawal of consent is still recorded.
              if (closedAlready) expect(event.type).toBe('ConsentWithdrawn');
              if (state.status !== 'none') {
                // Only who reads the talk acts on it: a participating agency, in its role.
                expect(
                  talkReaders(state).some(
                    (p) => p.agency === command.by.agency && p.role === command.by.role,
                  ),
                ).toBe(true);
              } else {
                expect(event.type).toBe('PreventionTalkPlanned');
              }
              if (
                event.type === 'PreventionTalkHeld' ||
                event.type === 'PreventionTalkFollowedUp'
              ) {
                expect(state.status).not.toBe('none');
                if (state.status === 'none') continue;
                expect(closedAlready).toBe(false);
                if (state.legalGround.basis !== 'consent') {
                  groundTalksAccepted++;
                  continue;
                }
                expect(state.consentInForce).toBe(true);
                const consent = state.consents.at(-1)!;
                expect(consent.withdrawnOn).toBeNull();
                const on =
                  event.type === 'PreventionTalkHeld' ? event.data.heldOn : event.data.followedUpOn;
                expect(on >= consent.recordedOn).toBe(true);
                expect(on <= '2024-06-01').toBe(true);
              }
              if (event.type === 'PreventionTalkHeld') {
                expect(state.status).toBe('planned');
                const joint = new Set(event.data.participants.map((p) => p.agency));
                expect(joint.has('police') && joint.has('social-services')).toBe(true);
                talksAccepted++;
              }
              if (event.type === 'PreventionTalkFollowedUp') {
                expect(state.status).toBe('held');
                followUpsAccepted++;
              }
              if (event.type === 'PreventionTalkParticipantsChanged') {
                expect(state.status).toBe('planned');
              }
              if (event.type === 'ConsentRecorded') {
                expect(state.status !== 'none' && state.legalGround.basis).toBe('consent');
                expect(event.data.givenBy).toContain('guardian');
                if (event.data.subjectAged15OrOver)
                  expect(event.data.givenBy).toContain('young-person');
              }
              state = preventionTalkDecider.evolve(state, event);
              if (state.status === 'closed') closedAlready = true;
              // Under 18 a §, only social services and the police ever sit at the talk.
              if (state.status !== 'none' && state.legalGround.basis === 'osl-10-18a') {
                const sitting = [...state.participants, ...(state.held?.participants ?? [])];
                for (const p of sitting) expect(OSL_AGENCIES).toContain(p.agency);
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
    // The property is only worth something if talks and follow-ups were accepted along the way.
    // The generators are random: over 12 runs the counts were 56–76 talks, 40–69 follow-ups and
    // 16–62 talks on another ground, so the floors sit well below that and fail only when a
    // generator stops producing acceptable commands.
    expect(talksAccepted).toBeGreaterThan(20);
    expect(followUpsAccepted).toBeGreaterThan(15);
    expect(groundTalksAccepted).toBeGreaterThan(5);
  });

  it('accepts a subject reference only in the pseudonymous shape and never with a personal identity number', () => {
    const pins = fc
      .tuple(
        fc.constantFrom('', '19', '20'),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 91 }),
        fc.integer({ min: 0, max: 9999 }),
      )
      .map(
        ([century, y, m, d, n]) =>
          [century, y, m, d]
            .map((v) => (typeof v === 'string' ? v : String(v).padStart(2, '0')))
            .join('') + String(n).padStart(4, '0'),
      );
    const refs = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[A-Z]{2,6}-[A-Z0-9]{4,16}$/),
      pins.map((p) => `SOC-${p}`),
      pins,
    );
    let accepted = 0;
    let refusedAsPin = 0;
    fc.assert(
      fc.property(refs, (subjectRef) => {
        let events: readonly PreventionTalkEvent[] = [];
        try {
          events = preventionTalkDecider.decide(planTalk(socialWorker, { subjectRef }), {
            status: 'none',
          });
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe('TALK.SUBJECT_NOT_PSEUDONYMOUS');
          if (/^[A-Z]{2,6}-[A-Z0-9]{4,16}$/.test(subjectRef)) refusedAsPin++;
          return;
        }
        expect(subjectRef).toMatch(/^[A-Z]{2,6}-[A-Z0-9]{4,16}$/);
        expect(containsPersonalIdentityNumber(subjectRef)).toBe(false);
        expect(events).toHaveLength(1);
        accepted++;
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(100);
    // Random draws: enough pseudonym-shaped identity numbers came up to mean something, with a
    // margin so the draw never decides the run.
    expect(refusedAsPin).toBeGreaterThan(3);
  });
});
