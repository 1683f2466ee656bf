import fc from 'fast-check';
import type { Actor } from '../actor';
import type { AgencyCode } from '../agencies/agencies';
import { DomainError } from '../domain-error';
import { specFor } from '../given-when-then';
import { mayRead } from '../access-policy/access-policy';
import { findingDecider, findingResource } from './finding.decider';
import type {
  AddressFinding,
  FindingCommand,
  ReassignFinding,
  ReportFinding,
} from './safety-walks.commands';
import { findingStream, type FindingEvent, type FindingReported } from './safety-walks.events';

const police: Actor = { userId: 'u-police', agency: 'police', role: 'officer' };
const municipality: Actor = {
  userId: 'u-kommun',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const school: Actor = { userId: 'u-school', agency: 'school', role: 'principal' };
const housing: Actor = { userId: 'u-bo', agency: 'housing-company', role: 'property-manager' };
const rescue: Actor = { userId: 'u-rt', agency: 'rescue-service', role: 'rescue-officer' };
const at = new Date('2024-06-01T10:00:00Z');

const spec = specFor(findingDecider);

const report = (by: Actor = housing, over: Partial<ReportFinding> = {}): ReportFinding => ({
  type: 'ReportFinding',
  by,
  at,
  findingId: 'f-10',
  placeIds: ['innergard-skoghall-centrum'],
  kind: 'poor-lighting',
  description: 'Belysningen vid cykelstället är trasig',
  responsibleParty: 'housing-company',
  reportedOn: '2024-05-27',
  ...over,
});
const reported: FindingReported = {
  type: 'FindingReported',
  data: {
    findingId: 'f-10',
    placeIds: ['innergard-skoghall-centrum'],
    kind: 'poor-lighting',
    description: 'Belysningen vid cykelstället är trasig',
    responsibleParty: 'housing-company',
    reportedOn: '2024-05-27',
    reportingAgency: 'housing-company',
  },
};
/** Reported by the school, to be put right by the housing company. */
const reportedBySchool: FindingReported = {
  ...reported,
  data: { ...reported.data, reportingAgency: 'school' },
};
const reassign = (by: Actor, over: Partial<ReassignFinding> = {}): ReassignFinding => ({
  type: 'ReassignFinding',
  by,
  at,
  findingId: 'f-10',
  responsibleParty: 'municipality',
  reason: 'Gatubelysningen är kommunens',
  ...over,
});
const address = (by: Actor, over: Partial<AddressFinding> = {}): AddressFinding => ({
  type: 'AddressFinding',
  by,
  at,
  findingId: 'f-10',
  addressedOn: '2024-05-30',
  action: 'Armaturen bytt',
  ...over,
});
const toMunicipality: FindingEvent = {
  type: 'FindingReassigned',
  data: {
    findingId: 'f-10',
    responsibleParty: 'municipality',
    reason: 'Gatubelysningen är kommunens',
  },
};
const addressed: FindingEvent = {
  type: 'FindingAddressed',
  data: { findingId: 'f-10', addressedOn: '2024-05-30', action: 'Armaturen bytt' },
};

describe('finding outside a walk: reporting', () => {
  it('names its stream after the finding', () => {
    expect(findingStream('f-10')).toBe('finding-f-10');
  });

  it('given nothing, when a housing company reports what it saw, then the finding is open with its reporter and responsible party', () => {
    spec.given().when(report()).then(reported);
    expect(spec.given(reported).state).toMatchObject({
      status: 'open',
      reportingAgency: 'housing-company',
      responsibleParty: 'housing-company',
      addressedOn: null,
    });
  });

  it('rule: partners and housing companies report findings; no one else', () => {
    for (const by of [police, municipality, school, housing]) {
      expect(spec.given().when(report(by)).events()).toHaveLength(1);
    }
    spec.given().when(report(rescue)).thenRefused('FINDING.NOT_A_REPORTER', 'forbidden');
  });

  it('rule: a finding is reported once', () => {
    spec.given(reported).when(report()).thenRefused('FINDING.ALREADY_REPORTED', 'conflict');
  });

  it('rule: a finding names the place or places of the register where it was seen', () => {
    spec
      .given()
      .when(report(housing, { placeIds: [] }))
      .thenRefused('FINDING.NO_PLACE', 'rejected');
  });

  it('rule: the day it was found is a real date, not in the future (Swedish date)', () => {
    spec
      .given()
      .when(report(housing, { reportedOn: '2024-06-02' }))
      .thenRefused('FINDING.DATE_IN_FUTURE', 'rejected');
    spec
      .given()
      .when(report(housing, { reportedOn: '2024-5-27' }))
      .thenRefused('FINDING.INVALID_DATE', 'rejected');
    expect(
      spec
        .given()
        .when({
          ...report(housing, { reportedOn: '2024-06-02' }),
          at: new Date('2024-06-01T23:30:00Z'),
        })
        .events(),
    ).toHaveLength(1);
  });

  it('rule: a finding says what makes the place feel unsafe, without a personal identity number', () => {
    spec
      .given()
      .when(report(housing, { description: '  ' }))
      .thenRefused('FINDING.NO_DESCRIPTION', 'rejected');
    spec
      .given()
      .when(report(housing, { description: 'Boende 19811218-9876 klagar' }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
});

describe('finding outside a walk: reassigning', () => {
  it('given an open finding, when the police, the municipality or the responsible party reassign it with a reason, then it is the new party’s', () => {
    for (const by of [police, municipality, housing]) {
      spec.given(reportedBySchool).when(reassign(by)).then(toMunicipality);
    }
    expect(spec.given(reportedBySchool, toMunicipality).state).toMatchObject({
      responsibleParty: 'municipality',
    });
  });

  it('rule: other partners, even the reporter, may not reassign', () => {
    spec
      .given(reportedBySchool)
      .when(reassign(school))
      .thenRefused('FINDING.MAY_NOT_REASSIGN', 'forbidden');
  });

  it('rule: an addressed finding is not reassigned', () => {
    spec
      .given(reported, addressed)
      .when(reassign(police))
      .thenRefused('FINDING.ALREADY_ADDRESSED', 'conflict');
  });

  it('rule: a reassignment moves it to another party, with a reason', () => {
    spec
      .given(reported)
      .when(reassign(police, { responsibleParty: 'housing-company' }))
      .thenRefused('FINDING.SAME_PARTY', 'rejected');
    spec
      .given(reported)
      .when(reassign(police, { reason: ' ' }))
      .thenRefused('FINDING.REASON_REQUIRED', 'rejected');
    spec
      .given(reported)
      .when(reassign(police, { reason: 'Enligt 19811218-9876' }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
});

describe('finding outside a walk: addressing', () => {
  it('given an open finding, when its responsible party addresses it, then it is addressed with what was done', () => {
    spec.given(reported).when(address(housing)).then(addressed);
    expect(spec.given(reported, addressed).state).toMatchObject({
      status: 'addressed',
      addressedOn: '2024-05-30',
      action: 'Armaturen bytt',
    });
  });

  it('rule: only the current responsible party addresses it', () => {
    spec.given(reported).when(address(police)).thenRefused('FINDING.NOT_RESPONSIBLE', 'forbidden');
    spec
      .given(reported, toMunicipality)
      .when(address(housing))
      .thenRefused('FINDING.NOT_RESPONSIBLE', 'forbidden');
    spec.given(reported, toMunicipality).when(address(municipality)).then(addressed);
  });

  it('rule: a finding is addressed once', () => {
    spec
      .given(reported, addressed)
      .when(address(housing))
      .thenRefused('FINDING.ALREADY_ADDRESSED', 'conflict');
  });

  it('rule: addressed on a real day between the day found and today', () => {
    spec
      .given(reported)
      .when(address(housing, { addressedOn: '2024-05-26' }))
      .thenRefused('FINDING.ADDRESSED_BEFORE_FOUND', 'rejected');
    spec
      .given(reported)
      .when(address(housing, { addressedOn: '2024-06-02' }))
      .thenRefused('FINDING.DATE_IN_FUTURE', 'rejected');
    spec
      .given(reported)
      .when(address(housing, { addressedOn: '30 maj' }))
      .thenRefused('FINDING.INVALID_DATE', 'rejected');
    expect(
      spec
        .given(reported)
        .when(address(housing, { addressedOn: '2024-05-27' }))
        .events(),
    ).toHaveLength(1);
  });

  it('rule: the action holds no personal identity number', () => {
    spec
      .given(reported)
      .when(address(housing, { action: 'Kontakt med 19811218-9876' }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
});

describe('finding outside a walk: outsiders cannot tell it from one that does not exist', () => {
  it('rule: an agency that is no partner, not its reporter and not responsible is told FINDING.NOT_FOUND, word for word as for no finding', () => {
    const none = spec.given().when(reassign(rescue)).thenRefused('FINDING.NOT_FOUND', 'not_found');
    const hidden = spec
      .given(reported)
      .when(reassign(rescue))
      .thenRefused('FINDING.NOT_FOUND', 'not_found');
    expect(hidden.message).toBe(none.message);
    spec.given(reported).when(address(rescue)).thenRefused('FINDING.NOT_FOUND', 'not_found');
    // Even an addressed finding: the refusal does not say that (nor when) it was addressed.
    const late = spec
      .given(reported, addressed)
      .when(address(rescue))
      .thenRefused('FINDING.NOT_FOUND', 'not_found');
    expect(late.message).not.toContain('2024-05-30');
  });

  it('rule: a housing company knows only the findings it reported or was given to put right', () => {
    const schoolsForMunicipality: FindingEvent = {
      type: 'FindingReported',
      data: { ...reported.data, reportingAgency: 'school', responsibleParty: 'municipality' },
    };
    spec
      .given(schoolsForMunicipality)
      .when(address(housing))
      .thenRefused('FINDING.NOT_FOUND', 'not_found');
    spec
      .given(schoolsForMunicipality)
      .when(reassign(housing, { responsibleParty: 'school' }))
      .thenRefused('FINDING.NOT_FOUND', 'not_found');
    // A party that handed the finding on still knows it: it is refused, not told it is unknown.
    spec
      .given(reportedBySchool, toMunicipality)
      .when(address(housing))
      .thenRefused('FINDING.NOT_RESPONSIBLE', 'forbidden');
    spec
      .given(reportedBySchool, toMunicipality)
      .when(reassign(housing, { responsibleParty: 'school' }))
      .thenRefused('FINDING.MAY_NOT_REASSIGN', 'forbidden');
  });

  it('given a finding handed on, then its state keeps every party it was given to, the current one last', () => {
    const back: FindingEvent = {
      type: 'FindingReassigned',
      data: {
        findingId: 'f-10',
        responsibleParty: 'housing-company',
        reason: 'Bostadsbolagets mark',
      },
    };
    expect(spec.given(reportedBySchool, toMunicipality, back).state).toMatchObject({
      responsibleParty: 'housing-company',
      responsibleParties: ['municipality', 'housing-company'],
    });
  });
});

describe('finding outside a walk: invariants for any sequence of commands', () => {
  const actors = [police, municipality, school, housing, rescue];
  const parties: readonly AgencyCode[] = ['municipality', 'housing-company', 'school'];
  const commandArb: fc.Arbitrary<FindingCommand> = fc.oneof(
    fc
      .record({ by: fc.constantFrom(...actors), to: fc.constantFrom(...parties) })
      .map(({ by, to }) => report(by, { responsibleParty: to })),
    fc
      .record({ by: fc.constantFrom(...actors), to: fc.constantFrom(...parties) })
      .map(({ by, to }) => reassign(by, { responsibleParty: to })),
    fc
      .record({
        by: fc.constantFrom(...actors),
        on: fc.constantFrom('2024-05-20', '2024-05-27', '2024-05-30', '2024-06-02'),
      })
      .map(({ by, on }) => address(by, { addressedOn: on })),
  );

  it('every change is by an agency that may know the finding, and it is addressed at most once, by its party then', () => {
    let reported = 0;
    let changes = 0;
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 1, maxLength: 30 }), (commands) => {
        let state = findingDecider.initialState;
        let addressedCount = 0;
        for (const command of commands) {
          let events: readonly FindingEvent[] = [];
          try {
            events = findingDecider.decide(command, state);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            continue;
          }
          for (const event of events) {
            if (event.type === 'FindingReported') {
              reported += 1;
              expect(state.status).toBe('none');
              expect(command.by.agency).not.toBe('rescue-service');
            } else {
              expect(state.status).toBe('open');
              if (state.status === 'none') continue;
              expect(mayRead(command.by, findingResource(state)).allowed).toBe(true);
              changes += 1;
              if (event.type === 'FindingAddressed') {
                expect(command.by.agency).toBe(state.responsibleParty);
                expect(event.data.addressedOn >= state.reportedOn).toBe(true);
                addressedCount += 1;
              } else {
                expect(['police', 'municipality', state.responsibleParty]).toContain(
                  command.by.agency,
                );
              }
            }
            state = findingDecider.evolve(state, event);
          }
        }
        expect(addressedCount).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
    // Worth something only if findings were reported and changed: refusing all would pass.
    expect(reported).toBeGreaterThan(80);
    expect(changes).toBeGreaterThan(50);
  });
});
