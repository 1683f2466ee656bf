import type { Actor } from '../actor';
import { specFor } from '../given-when-then';
import type {
  AssignEstReporter,
  CorrectEstCounts,
  ReportEstCounts,
  UnassignEstReporter,
} from './est.commands';
import { estPlaceDecider, estReportersDecider } from './est.decider';
import {
  estPlaceStream,
  estReportersStream,
  type EstCounts,
  type EstCountsEvent,
  type EstReportersEvent,
} from './est.events';

const coordinator: Actor = {
  userId: 'u-samordnare',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const chiefExecutive: Actor = { userId: 'u-kd', agency: 'municipality', role: 'chief-executive' };
const police: Actor = { userId: 'u-police', agency: 'police', role: 'officer' };
const housing: Actor = { userId: 'u-bo', agency: 'housing-company', role: 'property-manager' };
const guard: Actor = { userId: 'u-guard', agency: 'municipal-security', role: 'security-guard' };
// Saturday 1 June 2024: week 2024-W22 (from Monday 27 May) has started, 2024-W23 has not.
const at = new Date('2024-06-01T10:00:00Z');

const reporters = specFor(estReportersDecider);
const counts = specFor(estPlaceDecider);

const assign = (over: Partial<AssignEstReporter> = {}): AssignEstReporter => ({
  type: 'AssignEstReporter',
  by: coordinator,
  at,
  placeId: 'lillangshamnen',
  agency: 'municipal-security',
  placeRegistered: true,
  ...over,
});
const unassign = (over: Partial<UnassignEstReporter> = {}): UnassignEstReporter => ({
  type: 'UnassignEstReporter',
  by: coordinator,
  at,
  placeId: 'lillangshamnen',
  agency: 'municipal-security',
  reason: 'Väktarna bevakar inte hamnen längre',
  ...over,
});
const guardsAssigned: EstReportersEvent = {
  type: 'EstReporterAssigned',
  data: { placeId: 'lillangshamnen', agency: 'municipal-security' },
};
const guardsUnassigned: EstReportersEvent = {
  type: 'EstReporterUnassigned',
  data: {
    placeId: 'lillangshamnen',
    agency: 'municipal-security',
    reason: 'Väktarna bevakar inte hamnen längre',
  },
};

const week: EstCounts = {
  vandalism: 3,
  'gathering-places': 1,
  'unsafe-places': 0,
  'threats-to-staff': 0,
  rumours: 2,
  littering: 4,
  fires: 0,
};
const report = (by: Actor = guard, over: Partial<ReportEstCounts> = {}): ReportEstCounts => ({
  type: 'ReportEstCounts',
  by,
  at,
  placeId: 'lillangshamnen',
  week: '2024-W22',
  counts: week,
  assignedAgencies: ['municipal-security', 'police'],
  ...over,
});
const correct = (by: Actor = guard, over: Partial<CorrectEstCounts> = {}): CorrectEstCounts => ({
  type: 'CorrectEstCounts',
  by,
  at,
  placeId: 'lillangshamnen',
  week: '2024-W22',
  counts: { ...week, vandalism: 5 },
  reason: 'Två anmälningar kom in sent',
  ...over,
});
const reported: EstCountsEvent = {
  type: 'EstCountsReported',
  data: {
    placeId: 'lillangshamnen',
    week: '2024-W22',
    reportingAgency: 'municipal-security',
    counts: week,
  },
};

describe('EST reporters: the coordinator assigns who reports for which place', () => {
  it('names its streams after the partnership and the place', () => {
    expect(estReportersStream('hammaro')).toBe('est-reporters-hammaro');
    expect(estPlaceStream('lillangshamnen')).toBe('est-place-lillangshamnen');
  });

  it('given no assignment, when the safety coordinator assigns the guards to a registered place, then they report for it', () => {
    reporters.given().when(assign()).then(guardsAssigned);
    expect(reporters.given(guardsAssigned).state.assignments.get('lillangshamnen')).toEqual([
      'municipal-security',
    ]);
  });

  it('rule: only the municipality’s safety coordinator assigns reporters', () => {
    reporters
      .given()
      .when(assign({ by: police }))
      .thenRefused('EST.NOT_COORDINATOR', 'forbidden');
    reporters
      .given()
      .when(assign({ by: chiefExecutive }))
      .thenRefused('EST.NOT_COORDINATOR', 'forbidden');
    reporters
      .given(guardsAssigned)
      .when(unassign({ by: police }))
      .thenRefused('EST.NOT_COORDINATOR', 'forbidden');
  });

  it('rule: reporters are assigned to places of the register', () => {
    reporters
      .given()
      .when(assign({ placeRegistered: false }))
      .thenRefused('EST.UNKNOWN_PLACE', 'rejected');
  });

  it('rule: reporters are the municipality, police, housing companies and security guards', () => {
    for (const agency of [
      'municipality',
      'police',
      'housing-company',
      'municipal-security',
    ] as const) {
      expect(reporters.given().when(assign({ agency })).events()).toHaveLength(1);
    }
    for (const agency of ['school', 'social-services', 'leisure', 'rescue-service'] as const) {
      reporters
        .given()
        .when(assign({ agency }))
        .thenRefused('EST.NOT_A_REPORTER_AGENCY', 'rejected');
    }
  });

  it('rule: an agency is assigned to a place once; others, and other places, as well', () => {
    reporters.given(guardsAssigned).when(assign()).thenRefused('EST.ALREADY_ASSIGNED', 'conflict');
    expect(
      reporters
        .given(guardsAssigned)
        .when(assign({ agency: 'police' }))
        .events(),
    ).toHaveLength(1);
    expect(
      reporters
        .given(guardsAssigned)
        .when(assign({ placeId: 'sorvikshamnen' }))
        .events(),
    ).toHaveLength(1);
  });

  it('given an assignment, when the coordinator ends it with a reason, then the agency no longer reports there, and may be assigned again', () => {
    reporters.given(guardsAssigned).when(unassign()).then(guardsUnassigned);
    expect(
      reporters.given(guardsAssigned, guardsUnassigned).state.assignments.get('lillangshamnen'),
    ).toEqual([]);
    reporters.given(guardsAssigned, guardsUnassigned).when(assign()).then(guardsAssigned);
  });

  it('rule: only a standing assignment is ended, and with a reason', () => {
    reporters.given().when(unassign()).thenRefused('EST.NOT_ASSIGNED', 'not_found');
    reporters
      .given(guardsAssigned, guardsUnassigned)
      .when(unassign())
      .thenRefused('EST.NOT_ASSIGNED', 'not_found');
    reporters
      .given(guardsAssigned)
      .when(unassign({ reason: ' ' }))
      .thenRefused('EST.REASON_REQUIRED', 'rejected');
  });
});

describe('EST counts: an assigned agency reports each week for every checklist category', () => {
  it('given no report for the week, when an assigned agency reports it, then the counts are recorded for the agency', () => {
    counts.given().when(report()).then(reported);
  });

  it('rule: only an agency assigned to the place reports for it', () => {
    counts.given().when(report(housing)).thenRefused('EST.NOT_ASSIGNED', 'forbidden');
    counts
      .given()
      .when(report(guard, { assignedAgencies: [] }))
      .thenRefused('EST.NOT_ASSIGNED', 'forbidden');
  });

  it('rule: the week is a real ISO week', () => {
    for (const w of ['2021-W53', '2024-W00', '2024-22', '2024-W5', '']) {
      counts
        .given()
        .when(report(guard, { week: w }))
        .thenRefused('EST.INVALID_WEEK', 'rejected');
    }
    // 2020 had a 53rd week.
    expect(
      counts
        .given()
        .when(report(guard, { week: '2020-W53' }))
        .events(),
    ).toHaveLength(1);
  });

  it('rule: the week has started (Swedish date)', () => {
    counts
      .given()
      .when(report(guard, { week: '2024-W23' }))
      .thenRefused('EST.WEEK_NOT_STARTED', 'rejected');
    // 22:30 UTC on Sunday 2 June is already Monday 3 June in Sweden: week 23 has begun.
    expect(
      counts
        .given()
        .when({ ...report(guard, { week: '2024-W23' }), at: new Date('2024-06-02T22:30:00Z') })
        .events(),
    ).toHaveLength(1);
  });

  it('rule: every category of the checklist is counted, and nothing else', () => {
    const { fires: _fires, ...missing } = week;
    counts
      .given()
      .when(report(guard, { counts: missing as EstCounts }))
      .thenRefused('EST.INCOMPLETE_CHECKLIST', 'rejected');
    counts
      .given()
      .when(report(guard, { counts: { ...week, graffiti: 1 } as EstCounts }))
      .thenRefused('EST.INCOMPLETE_CHECKLIST', 'rejected');
  });

  it('rule: a count is a whole number of 0 or more', () => {
    for (const vandalism of [-1, 1.5, Number.NaN, '3' as unknown as number]) {
      counts
        .given()
        .when(report(guard, { counts: { ...week, vandalism } }))
        .thenRefused('EST.INVALID_COUNT', 'rejected');
    }
  });

  it('given counts in any key order, then they are recorded in the checklist’s order', () => {
    const shuffled = Object.fromEntries(Object.entries(week).reverse()) as EstCounts;
    const [event] = counts
      .given()
      .when(report(guard, { counts: shuffled }))
      .events();
    expect(Object.keys(event!.data.counts)).toEqual(Object.keys(week));
  });

  it('rule: an agency reports a week for a place once; the others and other weeks are apart', () => {
    counts.given(reported).when(report()).thenRefused('EST.ALREADY_REPORTED', 'conflict');
    expect(counts.given(reported).when(report(police)).events()).toHaveLength(1);
    expect(
      counts
        .given(reported)
        .when(report(guard, { week: '2024-W21' }))
        .events(),
    ).toHaveLength(1);
  });

  it('given a report, when the agency corrects it with a reason, then its counts are restated', () => {
    counts
      .given(reported)
      .when(correct())
      .then({
        type: 'EstCountsCorrected',
        data: {
          placeId: 'lillangshamnen',
          week: '2024-W22',
          reportingAgency: 'municipal-security',
          counts: { ...week, vandalism: 5 },
          reason: 'Två anmälningar kom in sent',
        },
      });
  });

  it('rule: an agency corrects only a week it reported itself', () => {
    counts.given(reported).when(correct(police)).thenRefused('EST.NOT_REPORTED', 'not_found');
    counts
      .given(reported)
      .when(correct(guard, { week: '2024-W21' }))
      .thenRefused('EST.NOT_REPORTED', 'not_found');
  });

  it('rule: a correction says why, and counts the whole checklist', () => {
    counts
      .given(reported)
      .when(correct(guard, { reason: '' }))
      .thenRefused('EST.REASON_REQUIRED', 'rejected');
    counts
      .given(reported)
      .when(correct(guard, { counts: { ...week, fires: -2 } }))
      .thenRefused('EST.INVALID_COUNT', 'rejected');
  });
});
