import fc from 'fast-check';
import type { Actor } from '../actor';
import type { AgencyCode } from '../agencies/agencies';
import { DomainError } from '../domain-error';
import { specFor } from '../given-when-then';
import type {
  CorrectSituationReport,
  ReportSituation,
  RetractSituationReport,
  SituationReportCommand,
} from './situation-picture.commands';
import type {
  SituationReportDetails,
  SituationReported,
  SituationReportEvent,
} from './situation-picture.events';
import { situationReportStream } from './situation-picture.events';
import { situationReportDecider, type SituationReportState } from './situation-report.decider';

const police: Actor = { userId: 'u-police', agency: 'police', role: 'municipal-police-officer' };
const municipality: Actor = {
  userId: 'u-kommun',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const school: Actor = { userId: 'u-school', agency: 'school', role: 'principal' };
const security: Actor = { userId: 'u-guard', agency: 'municipal-security', role: 'security-guard' };
const housing: Actor = { userId: 'u-bo', agency: 'housing-company', role: 'property-manager' };
const rescue: Actor = { userId: 'u-rt', agency: 'rescue-service', role: 'rescue-officer' };
const at = new Date('2024-06-01T10:00:00Z');

const spec = specFor(situationReportDecider);

const details: SituationReportDetails = {
  placeIds: ['lillangshamnen'],
  problemArea: 'vandalism-burglary',
  period: { from: '2024-05-01', to: '2024-05-31' },
  trend: 'rising',
  severity: 'medium',
  description: 'Skadegörelse på båtar och bodar nattetid, fler anmälningar än i april',
  source: 'incident-reports',
  sensitivity: 'open',
  sharedWith: [],
};
const reported: SituationReported = {
  type: 'SituationReported',
  data: { reportId: 'r-1', reportingAgency: 'police', ...details },
};
const retracted: SituationReportEvent = {
  type: 'SituationReportRetracted',
  data: { reason: 'Dubbelrapporterad' },
};

const report = (by: Actor = police, over: Partial<ReportSituation> = {}): ReportSituation => ({
  type: 'ReportSituation',
  by,
  at,
  reportId: 'r-1',
  ...details,
  ...over,
});
const correct = (
  by: Actor = police,
  over: Partial<CorrectSituationReport> = {},
): CorrectSituationReport => ({
  type: 'CorrectSituationReport',
  by,
  at,
  reason: 'Fel period angiven',
  ...details,
  period: { from: '2024-05-01', to: '2024-05-15' },
  ...over,
});
const retract = (by: Actor = police, reason = 'Dubbelrapporterad'): RetractSituationReport => ({
  type: 'RetractSituationReport',
  by,
  at,
  reason,
});
const restricted = (sharedWith: readonly AgencyCode[]): Partial<SituationReportDetails> => ({
  sensitivity: 'restricted',
  sharedWith,
});

describe('situation report: reporting', () => {
  it('names its stream after the report', () => {
    expect(situationReportStream('r-1')).toBe('situation-report-r-1');
  });
  it('records a report for the issuing agency, which the state exposes for reads', () => {
    spec.given().when(report()).then(reported);
    const state = spec.given(reported).state;
    expect(state).toEqual({
      status: 'reported',
      reportId: 'r-1',
      reportingAgency: 'police',
      ...details,
    });
  });
  it('records a restricted report shared with named agencies', () => {
    const events = spec
      .given()
      .when(report(municipality, restricted(['police', 'social-services'])))
      .events();
    expect(events).toEqual([
      {
        type: 'SituationReported',
        data: {
          reportId: 'r-1',
          reportingAgency: 'municipality',
          ...details,
          sensitivity: 'restricted',
          sharedWith: ['police', 'social-services'],
        },
      },
    ]);
    expect(spec.given(...events).state).toMatchObject({
      reportingAgency: 'municipality',
      sensitivity: 'restricted',
      sharedWith: ['police', 'social-services'],
    });
  });
  it('rule: a report names the place or area of the register it is about', () => {
    spec
      .given()
      .when(report(police, { placeIds: [] }))
      .thenRefused('SITUATION.NO_PLACE', 'rejected');
    const [event] = spec
      .given()
      .when(report(police, { placeIds: ['skoghall-centrum', 'lillangshamnen'] }))
      .events();
    expect(event).toMatchObject({ data: { placeIds: ['skoghall-centrum', 'lillangshamnen'] } });
  });
  it('refuses a report that exists already', () => {
    spec.given(reported).when(report()).thenRefused('SITUATION.ALREADY_REPORTED', 'conflict');
  });
  it('lets every partner agency report, and no one outside the partnership', () => {
    for (const by of [police, municipality, school, security]) {
      expect(spec.given().when(report(by)).events()).toHaveLength(1);
    }
    spec.given().when(report(housing)).thenRefused('SITUATION.NOT_A_PARTNER', 'forbidden');
    spec.given().when(report(rescue)).thenRefused('SITUATION.NOT_A_PARTNER', 'forbidden');
  });
  it('refuses a period that ends before it starts, or is not made of real dates', () => {
    spec
      .given()
      .when(report(police, { period: { from: '2024-05-31', to: '2024-05-01' } }))
      .thenRefused('SITUATION.INVALID_PERIOD', 'rejected');
    spec
      .given()
      .when(report(police, { period: { from: '2024-5-1', to: '2024-05-31' } }))
      .thenRefused('SITUATION.INVALID_PERIOD', 'rejected');
  });
  it('accepts a one-day period', () => {
    expect(
      spec
        .given()
        .when(report(police, { period: { from: '2024-05-31', to: '2024-05-31' } }))
        .events(),
    ).toHaveLength(1);
  });
  it('refuses a period that ends after today (Swedish date)', () => {
    spec
      .given()
      .when(report(police, { period: { from: '2024-05-01', to: '2024-06-02' } }))
      .thenRefused('SITUATION.PERIOD_IN_FUTURE', 'rejected');
    // 23:30 UTC on 1 June is already 2 June in Sweden.
    expect(
      spec
        .given()
        .when({
          ...report(police, { period: { from: '2024-05-01', to: '2024-06-02' } }),
          at: new Date('2024-06-01T23:30:00Z'),
        })
        .events(),
    ).toHaveLength(1);
  });
  it('refuses named agencies on an open report', () => {
    spec
      .given()
      .when(report(police, { sharedWith: ['school'] }))
      .thenRefused('SITUATION.SHARED_WITH_ON_OPEN_REPORT', 'rejected');
  });
  it('refuses sharing with the reporter itself or naming an agency twice', () => {
    spec
      .given()
      .when(report(police, restricted(['police', 'school'])))
      .thenRefused('SITUATION.INVALID_SHARED_WITH', 'rejected');
    spec
      .given()
      .when(report(police, restricted(['school', 'school'])))
      .thenRefused('SITUATION.INVALID_SHARED_WITH', 'rejected');
  });
  it('refuses a personal identity number in the free text', () => {
    spec
      .given()
      .when(report(police, { description: 'Anmälan mot 19811218-9876' }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
});

describe('situation report: corrections and retraction by the reporter, with a reason', () => {
  it('corrects all fields with a reason; the state shows the corrected report', () => {
    const cmd = correct(police, { ...restricted(['municipality']), trend: 'stable' });
    const events = spec.given(reported).when(cmd).events();
    const { type: _t, by: _b, at: _a, ...data } = cmd;
    expect(events).toEqual([{ type: 'SituationReportCorrected', data }]);
    expect(spec.given(reported, ...events).state).toEqual({
      status: 'reported',
      reportId: 'r-1',
      reportingAgency: 'police',
      ...details,
      period: { from: '2024-05-01', to: '2024-05-15' },
      trend: 'stable',
      sensitivity: 'restricted',
      sharedWith: ['municipality'],
    });
  });
  it('restates the places with the correction', () => {
    const events = spec
      .given(reported)
      .when(correct(police, { placeIds: ['skoghall-centrum'] }))
      .events();
    expect(spec.given(reported, ...events).state).toMatchObject({ placeIds: ['skoghall-centrum'] });
  });
  it('retracts a report with a reason', () => {
    spec.given(reported).when(retract()).then(retracted);
    const state = spec.given(reported, retracted).state;
    expect(state).toMatchObject({ status: 'retracted', reportingAgency: 'police' });
  });
  it('refuses to correct or retract a report that does not exist', () => {
    spec.given().when(correct()).thenRefused('SITUATION.NOT_FOUND', 'not_found');
    spec.given().when(retract()).thenRefused('SITUATION.NOT_FOUND', 'not_found');
  });
  it('lets only the reporting agency change its report', () => {
    spec
      .given(reported)
      .when(correct(municipality))
      .thenRefused('SITUATION.NOT_REPORTER', 'forbidden');
    spec.given(reported).when(retract(school)).thenRefused('SITUATION.NOT_REPORTER', 'forbidden');
  });
  it('never changes a retracted report again', () => {
    spec.given(reported, retracted).when(correct()).thenRefused('SITUATION.RETRACTED', 'conflict');
    spec.given(reported, retracted).when(retract()).thenRefused('SITUATION.RETRACTED', 'conflict');
  });
  it('refuses a correction or retraction without a reason', () => {
    spec
      .given(reported)
      .when(correct(police, { reason: '  ' }))
      .thenRefused('SITUATION.REASON_REQUIRED', 'rejected');
    spec.given(reported).when(retract(police, '')).thenRefused('SITUATION.REASON_REQUIRED');
    spec
      .given(reported)
      .when(retract(police, 'Gäller 811218-9876'))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER');
  });
  it('checks a correction by the same rules as a report', () => {
    spec
      .given(reported)
      .when(correct(police, { period: { from: '2024-05-01', to: '2024-07-01' } }))
      .thenRefused('SITUATION.PERIOD_IN_FUTURE');
    spec
      .given(reported)
      .when(correct(police, { period: { from: '2024-05-02', to: '2024-05-01' } }))
      .thenRefused('SITUATION.INVALID_PERIOD');
    spec
      .given(reported)
      .when(correct(police, { sharedWith: ['school'] }))
      .thenRefused('SITUATION.SHARED_WITH_ON_OPEN_REPORT');
    spec
      .given(reported)
      .when(correct(police, restricted(['police'])))
      .thenRefused('SITUATION.INVALID_SHARED_WITH');
    spec
      .given(reported)
      .when(correct(police, { description: 'Gäller 19811218-9876' }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER');
    spec
      .given(reported)
      .when(correct(police, { placeIds: [] }))
      .thenRefused('SITUATION.NO_PLACE', 'rejected');
  });
});

describe('situation report: invariants for any sequence of commands', () => {
  const actors = [police, municipality, school, housing];
  const agencies: readonly AgencyCode[] = ['police', 'municipality', 'school', 'social-services'];
  const detailsArb: fc.Arbitrary<SituationReportDetails> = fc
    .record({
      to: fc.constantFrom('2024-04-30', '2024-05-31', '2024-06-01', '2024-06-02'),
      sensitivity: fc.constantFrom('open' as const, 'restricted' as const),
      // Mostly well-formed sharing, sometimes with the reporter or an agency twice.
      sharedWith: fc.oneof(
        { arbitrary: fc.uniqueArray(fc.constantFrom(...agencies), { maxLength: 2 }), weight: 3 },
        { arbitrary: fc.array(fc.constantFrom(...agencies), { maxLength: 3 }), weight: 1 },
      ),
      severity: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
    })
    .map(({ to, sensitivity, sharedWith, severity }) => ({
      ...details,
      period: { from: '2024-04-01', to },
      sensitivity,
      sharedWith,
      severity,
    }));
  const reasonArb = fc.constantFrom('', 'fel', 'fel', 'fel');
  // Weighted towards changes of an existing report, the part of its life the invariant is about.
  const commandArb: fc.Arbitrary<SituationReportCommand> = fc.oneof(
    {
      arbitrary: fc
        .record({ by: fc.constantFrom(...actors), d: detailsArb })
        .map(({ by, d }): SituationReportCommand => ({ ...report(by), ...d })),
      weight: 1,
    },
    {
      arbitrary: fc
        .record({ by: fc.constantFrom(...actors), d: detailsArb, reason: reasonArb })
        .map(({ by, d, reason }): SituationReportCommand => ({ ...correct(by), ...d, reason })),
      weight: 4,
    },
    {
      arbitrary: fc
        .record({ by: fc.constantFrom(...actors), reason: reasonArb })
        .map(({ by, reason }) => retract(by, reason)),
      weight: 1,
    },
  );
  // Half the runs start from an open police report, half from nothing.
  const startArb = fc.constantFrom<readonly SituationReportEvent[]>([], [reported]);

  const checkState = (state: SituationReportState): void => {
    if (state.status === 'none') return;
    if (state.sensitivity === 'open') expect(state.sharedWith).toEqual([]);
    expect(state.sharedWith).not.toContain(state.reportingAgency);
    expect(new Set(state.sharedWith).size).toBe(state.sharedWith.length);
    expect(state.period.from <= state.period.to && state.period.to <= '2024-06-01').toBe(true);
  };

  it('a retracted report never changes again, only its reporter changes it, and who may read it stays well-formed', () => {
    const accepted = new Map<SituationReportEvent['type'], number>();
    fc.assert(
      fc.property(
        startArb,
        fc.array(commandArb, { minLength: 1, maxLength: 30, size: 'medium' }),
        (start, commands) => {
          let state = start.reduce(
            situationReportDecider.evolve,
            situationReportDecider.initialState,
          );
          const history: SituationReportEvent[] = [...start];
          let reporter: AgencyCode | undefined = start.length > 0 ? 'police' : undefined;
          for (const command of commands) {
            let events: readonly SituationReportEvent[] = [];
            try {
              events = situationReportDecider.decide(command, state);
            } catch (error) {
              expect(error).toBeInstanceOf(DomainError);
              continue;
            }
            // Nothing is accepted once a retraction is in the log.
            expect(history.some((e) => e.type === 'SituationReportRetracted')).toBe(false);
            for (const event of events) {
              if (event.type === 'SituationReported') {
                expect(reporter).toBeUndefined();
                reporter = event.data.reportingAgency;
                expect(reporter).toBe(command.by.agency);
                expect(['police', 'municipality', 'school']).toContain(reporter);
              } else {
                expect(command.by.agency).toBe(reporter);
                expect(event.data.reason.trim()).not.toBe('');
              }
              accepted.set(event.type, (accepted.get(event.type) ?? 0) + 1);
              history.push(event);
              state = situationReportDecider.evolve(state, event);
              checkState(state);
            }
          }
          const retractions = history.filter((e) => e.type === 'SituationReportRetracted');
          expect(retractions.length).toBeLessThanOrEqual(1);
          if (retractions.length === 1) {
            expect(history[history.length - 1]?.type).toBe('SituationReportRetracted');
          }
          expect(state.status).toBe(
            history.length === 0 ? 'none' : retractions.length > 0 ? 'retracted' : 'reported',
          );
        },
      ),
      { numRuns: 300 },
    );
    // Worth something only if reports, corrections and retractions were accepted along the way:
    // a decider that refused every command would pass the checks above.
    expect(accepted.get('SituationReported')).toBeGreaterThan(25);
    expect(accepted.get('SituationReportCorrected')).toBeGreaterThan(40);
    expect(accepted.get('SituationReportRetracted')).toBeGreaterThan(25);
  });
});
