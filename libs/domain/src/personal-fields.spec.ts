import fc from 'fast-check';
import { PARTNERSHIP_EVENT_TYPES } from './agencies/agencies.events';
import { CITIZEN_PROMISE_EVENT_TYPES } from './citizen-promise/citizen-promise.events';
import { PLACES_EVENT_TYPES } from './places/places.events';
import {
  preventionTalkStream,
  PREVENTION_TALK_EVENT_TYPES,
} from './prevention-talks/prevention-talks.events';
import { FINDING_EVENT_TYPES, SAFETY_WALK_EVENT_TYPES } from './safety-walks/safety-walks.events';
import { EST_COUNTS_EVENT_TYPES, EST_REPORTERS_EVENT_TYPES } from './situation-picture/est.events';
import {
  SITUATION_PICTURE_EVENT_TYPES,
  SITUATION_REPORT_EVENT_TYPES,
} from './situation-picture/situation-picture.events';
import {
  DESTROYED_CONTENT_MARKERS,
  NO_PERSONAL_DATA,
  PERSONAL_FIELDS_INVENTORY,
  pathText,
  personalFieldsDeclaration,
  personalFieldsOf,
  READ_ACCESS_LOG_EVENT_TYPE,
  retentionYear,
  type PersonalFields,
} from './personal-fields';

const inventoried = new Set(Object.keys(PERSONAL_FIELDS_INVENTORY));

const leavesOf = (type: string, data: object, streamId?: string) =>
  personalFieldsOf(type, data as Record<string, unknown>, streamId).leaves.map((l) => [
    l.path,
    l.kind,
    l.value,
  ]);

describe('personal fields: every event type is decided', () => {
  it('rule: every type of the contexts type lists is decided, and the inventory holds no stale type', () => {
    const listed = new Set([
      ...PARTNERSHIP_EVENT_TYPES,
      ...CITIZEN_PROMISE_EVENT_TYPES,
      ...PLACES_EVENT_TYPES,
      ...PREVENTION_TALK_EVENT_TYPES,
      ...SAFETY_WALK_EVENT_TYPES,
      ...FINDING_EVENT_TYPES,
      ...SITUATION_REPORT_EVENT_TYPES,
      ...SITUATION_PICTURE_EVENT_TYPES,
      ...EST_REPORTERS_EVENT_TYPES,
      ...EST_COUNTS_EVENT_TYPES,
    ]);
    expect([...listed].filter((t) => !inventoried.has(t))).toEqual([]);
    // The compiler checks the rest: the inventory is keyed by the union of every stored event,
    // and the event-store's field-protection spec reads the events files for new ones.
    const known = new Set([
      ...listed,
      READ_ACCESS_LOG_EVENT_TYPE,
      'PersonalDataErased',
      'LogPersonalFieldsEncrypted',
      'RetentionApplied',
    ]);
    expect([...inventoried].filter((t) => !known.has(t))).toEqual([]);
  });

  it('rule: no declared path ends in an id, a date, an agency, a code or a count', () => {
    const notPersonal =
      /(Id|Ids|Ref|On|At|agency|Agency|agencies|problemArea|kind|counts|figures|role|basis)$/;
    for (const [type, decision] of Object.entries(PERSONAL_FIELDS_INVENTORY)) {
      if (decision === NO_PERSONAL_DATA) continue;
      const paths = (decision as PersonalFields).freeText;
      expect([type, paths.filter((p) => notPersonal.test(p))]).toEqual([type, []]);
    }
  });

  it('checks declared paths against the data type when compiling', () => {
    const typo: PersonalFields<{ readonly description: string; readonly count: number }> = {
      // @ts-expect-error: no such text field
      freeText: ['descripton'],
    };
    const notText: PersonalFields<{ readonly description: string; readonly count: number }> = {
      // @ts-expect-error: a number is no text
      freeText: ['count'],
    };
    expect([typo, notText]).toHaveLength(2);
  });
});

describe('personal fields: the protected leaves of an event', () => {
  const talk = preventionTalkStream('t-1');

  it('given a planned talk, then its subject, its purpose and the preventive purpose, bound to the subject and kept as a talk', () => {
    const found = personalFieldsOf(
      'PreventionTalkPlanned',
      {
        talkId: 't-1',
        subjectRef: 'SOC-2024-0042',
        plannedFor: '2024-10-01',
        participants: [{ agency: 'police', role: 'officer' }],
        purpose: 'Samtal om oro för droger',
        legalGround: {
          basis: 'osl-10-18a',
          subjectUnder21: true,
          preventivePurpose: 'Förhindra fortsatt brottslighet',
        },
      },
      talk,
    );
    expect(found.leaves.map((l) => [l.path, l.kind, l.value])).toEqual([
      ['subjectRef', 'subject', 'SOC-2024-0042'],
      ['purpose', 'free-text', 'Samtal om oro för droger'],
      ['legalGround.preventivePurpose', 'free-text', 'Förhindra fortsatt brottslighet'],
    ]);
    expect(found.subjectRef).toBe('SOC-2024-0042');
    expect(found.aboutSubject).toBe(true);
    expect(found.retention).toBe('prevention-talks');
  });

  it('given a talk on consent, then no preventive purpose (absent), and the steps reach each leaf', () => {
    const found = personalFieldsOf('PreventionTalkPlanned', {
      subjectRef: 'S-1',
      purpose: 'p',
      legalGround: { basis: 'consent' },
    });
    expect(found.leaves.map((l) => l.path)).toEqual(['subjectRef', 'purpose']);
    expect(found.leaves[1]!.steps).toEqual(['purpose']);
  });

  it('given a held talk, then the outcome and every agreed action with its index, about the subject of its stream', () => {
    const data = {
      heldOn: '2024-10-01',
      participants: [],
      guardiansPresent: true,
      outcome: 'Överenskommelse om fritidsaktivitet',
      agreedFollowUp: [
        { action: 'Kontakt med fritidsgården', responsibleAgency: 'leisure', dueOn: '2024-11-01' },
        { action: 'Uppföljande samtal', responsibleAgency: 'social-services', dueOn: '2024-12-01' },
      ],
    };
    expect(leavesOf('PreventionTalkHeld', data)).toEqual([
      ['outcome', 'free-text', 'Överenskommelse om fritidsaktivitet'],
      ['agreedFollowUp[0].action', 'free-text', 'Kontakt med fritidsgården'],
      ['agreedFollowUp[1].action', 'free-text', 'Uppföljande samtal'],
    ]);
    const found = personalFieldsOf('PreventionTalkHeld', data, talk);
    expect(found.leaves[2]!.steps).toEqual(['agreedFollowUp', 1, 'action']);
    expect(found.subjectRef).toBeUndefined();
    expect(found.aboutSubject).toBe(true);
    expect(found.retention).toBe('prevention-talks');
  });

  it('given a credit withdrawn in a talk stream, then its reason is about the talk subject and kept as a talk; elsewhere neither', () => {
    const data = { promiseId: 'p', commitmentId: 'c', workId: 'w', reason: 'Fel åtagande' };
    const inTalk = personalFieldsOf('CommitmentCreditWithdrawn', data, talk);
    expect(inTalk.leaves.map((l) => l.path)).toEqual(['reason']);
    expect([inTalk.aboutSubject, inTalk.retention]).toEqual([true, 'prevention-talks']);
    const inWalk = personalFieldsOf('CommitmentCreditWithdrawn', data, 'safety-walk-w');
    expect([inWalk.aboutSubject, inWalk.retention]).toEqual([false, undefined]);
  });

  it('given a conducted walk, then each finding description, never the ids, places or counts', () => {
    expect(
      leavesOf('SafetyWalkConducted', {
        conductedOn: '2024-05-02',
        participants: ['police', 'municipality'],
        residentsTakingPart: 12,
        findings: [
          {
            findingId: 'f-1',
            placeIds: ['pl-1'],
            kind: 'poor-lighting',
            description: 'Mörkt vid busshållplatsen',
            responsibleParty: 'municipality',
          },
          { findingId: 'f-2', placeIds: [], kind: 'other', description: 'Klotter' },
        ],
      }),
    ).toEqual([
      ['findings[0].description', 'free-text', 'Mörkt vid busshållplatsen'],
      ['findings[1].description', 'free-text', 'Klotter'],
    ]);
  });

  it.each([
    ['restricted', 'restricted-reports'],
    ['open', undefined],
  ])(
    'given a situation report that is %s, then its retention class follows',
    (sensitivity, kept) => {
      const data = { reportId: 'r', description: 'Grupp samlas', sensitivity, sharedWith: [] };
      expect(personalFieldsOf('SituationReported', data).retention).toBe(kept);
      expect(
        personalFieldsOf('SituationReportCorrected', { ...data, reason: 'Fel plats' }).retention,
      ).toBe(kept);
    },
  );

  it.each([
    [
      'UserRoleRevoked',
      { userId: 'u', agency: 'police', role: 'officer', reason: 'slutat' },
      ['reason'],
    ],
    [
      'FollowUpReported',
      { followUpId: 'f', reportedOn: '2024-10-01', summary: 's', proposals: 'p' },
      ['summary', 'proposals'],
    ],
    [
      'CommitmentActivityRecorded',
      { activityId: 'a', kind: 'x', outcome: 'o', figures: { n: 3 } },
      ['outcome'],
    ],
    [
      'CommitmentActivityCorrected',
      { activityId: 'a', outcome: 'o', reason: 'r' },
      ['outcome', 'reason'],
    ],
    ['CommitmentActivityWithdrawn', { activityId: 'a', reason: 'r' }, ['reason']],
    ['PlaceChanged', { placeId: 'p', name: 'Skoghall', reason: 'r' }, ['reason']],
    ['PreventionTalkParticipantsChanged', { participants: [], reason: 'r' }, ['reason']],
    ['ConsentRecorded', { consentId: 'c', givenBy: ['guardian'], scope: 's' }, ['scope']],
    ['ConsentWithdrawn', { withdrawnOn: '2024-01-01', reason: 'r' }, ['reason']],
    [
      'PreventionTalkFollowedUp',
      { followedUpOn: '2024-01-01', notes: 'n', closed: true },
      ['notes'],
    ],
    ['FindingReassigned', { findingId: 'f', responsibleParty: 'police', reason: 'r' }, ['reason']],
    ['FindingAddressed', { findingId: 'f', addressedOn: '2024-01-01', action: 'a' }, ['action']],
    [
      'FindingReported',
      { findingId: 'f', description: 'd', reportingAgency: 'school' },
      ['description'],
    ],
    ['SituationReportRetracted', { reason: 'r' }, ['reason']],
    [
      'SituationPictureConfirmed',
      { confirmationId: 'c', reportIds: ['r'], summary: 's' },
      ['summary'],
    ],
    ['EstReporterUnassigned', { placeId: 'p', agency: 'police', reason: 'r' }, ['reason']],
    ['EstCountsCorrected', { placeId: 'p', counts: {}, reason: 'r' }, ['reason']],
    [
      READ_ACCESS_LOG_EVENT_TYPE,
      { streamId: 's', resourceKind: 'k', ground: 'g', purpose: 'SSPF-möte' },
      ['purpose'],
    ],
  ])('given %s, then exactly its free-text fields are protected', (type, data, paths) => {
    expect(personalFieldsOf(type, data).leaves.map((l) => l.path)).toEqual(paths);
  });

  it('given the read-access log, then its retention class is the log', () => {
    expect(personalFieldsOf(READ_ACCESS_LOG_EVENT_TYPE, { purpose: 'x' }).retention).toBe(
      'read-access-log',
    );
  });

  it('given the published promise or a type without personal data, then nothing is protected', () => {
    expect(
      leavesOf('PromiseDrafted', {
        title: 'Medborgarlöfte Hammarö',
        commitments: [{ commitmentId: 'c', description: 'Mobilt poliskontor' }],
        signatories: [{ name: 'Namn Namnsson', title: 'Lokalpolisområdeschef' }],
      }),
    ).toEqual([]);
    expect(personalFieldsDeclaration('PromiseRevised')).toBe(NO_PERSONAL_DATA);
    expect(personalFieldsDeclaration('EstCountsReported')).toBe(NO_PERSONAL_DATA);
  });

  it('given an unknown type, then nothing is protected and nothing is decided', () => {
    expect(leavesOf('SomethingElse', { description: 'x' })).toEqual([]);
    expect(personalFieldsDeclaration('SomethingElse')).toBeUndefined();
  });

  it('skips a declared field that is absent, null, not text, or reached through a non-array', () => {
    expect(leavesOf('FindingReported', { description: null })).toEqual([]);
    expect(leavesOf('FindingReported', { description: { $protected: 1 } })).toEqual([]);
    expect(leavesOf('SafetyWalkConducted', { findings: { 0: { description: 'x' } } })).toEqual([]);
    expect(leavesOf('PreventionTalkHeld', { agreedFollowUp: [null, 'x', { action: 7 }] })).toEqual(
      [],
    );
    // An inherited property is not data.
    expect(
      leavesOf('FindingReported', Object.create({ description: 'inherited' }) as object),
    ).toEqual([]);
  });

  it('property: every leaf is a string found at its steps in the data', () => {
    const finding = fc.record({
      findingId: fc.string(),
      description: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
    });
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 5 }), (findings) => {
        const data = { findings };
        const { leaves } = personalFieldsOf('SafetyWalkConducted', data);
        expect(leaves).toHaveLength(
          findings.filter((f) => typeof f.description === 'string').length,
        );
        for (const leaf of leaves) {
          let at: unknown = data;
          for (const step of leaf.steps) at = (at as Record<string | number, unknown>)[step];
          expect(at).toBe(leaf.value);
          expect(leaf.path).toBe(pathText(leaf.steps));
        }
      }),
    );
  });
});

describe('personal fields: paths, periods and markers', () => {
  it('prints a path with indices, and quotes a name that is no identifier so no two places print alike', () => {
    expect(pathText(['findings', 0, 'description'])).toBe('findings[0].description');
    expect(pathText(['a.b'])).toBe('["a.b"]');
    expect(pathText(['a', 'b'])).toBe('a.b');
    expect(pathText(['x', '[0]', 'y'])).toBe('x["[0]"].y');
    expect(pathText([])).toBe('');
  });

  it('counts the retention year in Swedish time: 23:30 UTC on 31 December is the next year', () => {
    expect(retentionYear(new Date('2024-12-31T23:30:00Z'))).toBe(2025);
    expect(retentionYear(new Date('2024-12-31T22:30:00Z'))).toBe(2024);
    expect(retentionYear(new Date('2024-06-30T23:30:00Z'))).toBe(2024);
  });

  it('shows destroyed content by why it was destroyed, in Swedish', () => {
    expect(DESTROYED_CONTENT_MARKERS).toEqual({
      erased: '[raderad]',
      redacted: '[borttagen vid rättelse]',
      expired: '[gallrad]',
    });
  });
});
