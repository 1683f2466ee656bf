import type { PromiseTimeline } from './commitment-timeline';
import { residentsPromise } from './residents-view';

/** An activity as the timeline holds it; the outcome is free text that may name a person. */
const activity = (
  activityId: string,
  date: string,
  placeIds: string[],
  extra: Partial<PromiseTimeline['commitments'][number]['activities'][number]> = {},
): PromiseTimeline['commitments'][number]['activities'][number] => ({
  activityId,
  commitmentId: 'police-traffic-controls',
  kind: 'traffic-control',
  date,
  placeIds,
  agenciesPresent: ['police'],
  outcome: 'Kontroll vid Bymiljövägen; Kalle Andersson, 19 år, rapporterades.',
  figures: { breathTests: 12 },
  status: 'recorded',
  corrections: [],
  withdrawalReason: null,
  ...extra,
});

const commitment = (
  extra: Partial<PromiseTimeline['commitments'][number]>,
): PromiseTimeline['commitments'][number] => ({
  commitmentId: 'police-traffic-controls',
  description: 'Trafikkontroller kopplat alkohol och droger samt mopeder och A-traktorer.',
  owner: 'police',
  problemAreas: [{ rank: 2, name: 'Trafikbrottslighet' }],
  cadence: null,
  status: 'active',
  fulfilmentText: null,
  fulfilment: null,
  activities: [],
  creditedWork: [],
  restrictedWork: null,
  ...extra,
});

const timeline = (commitments: PromiseTimeline['commitments']): PromiseTimeline => ({
  promiseId: 'hammaro-2023-2025',
  title: 'Polisens medborgarlöfte i samverkan med Hammarö kommun 2023–2025',
  range: { from: '2023-01-01', to: '2025-12-31' },
  commitments,
});

const places = new Map([
  ['bymiljovagen', 'Bymiljövägen'],
  ['skoghall-centrum', 'Skoghalls centrum'],
]);

describe("the residents' view of a promise", () => {
  it('given activities and credited work, counts them with their first and last dates, kinds and registered places', () => {
    // Given
    const given = timeline([
      commitment({
        activities: [
          activity('a2', '2024-08-22', ['bymiljovagen']),
          activity('a1', '2024-05-17', ['bymiljovagen', 'skoghall-centrum']),
        ],
        creditedWork: [
          {
            source: 'credit',
            workKind: 'safety-walk',
            kind: 'safety-walk',
            id: 'walk-1',
            date: '2024-10-03',
            placeIds: ['skoghall-centrum', 'no-longer-registered'],
          },
        ],
      }),
    ]);
    // When
    const view = residentsPromise(given, places);
    // Then
    expect(view.commitments).toEqual([
      {
        commitmentId: 'police-traffic-controls',
        description: 'Trafikkontroller kopplat alkohol och droger samt mopeder och A-traktorer.',
        owner: 'police',
        problemAreas: ['Trafikbrottslighet'],
        status: 'active',
        fulfilment: null,
        done: 3,
        doneInConfidence: null,
        firstDoneOn: '2024-05-17',
        lastDoneOn: '2024-10-03',
        kinds: [
          { kind: 'traffic-control', count: 2 },
          { kind: 'safety-walk', count: 1 },
        ],
        places: [
          { placeId: 'bymiljovagen', name: 'Bymiljövägen' },
          { placeId: 'skoghall-centrum', name: 'Skoghalls centrum' },
        ],
      },
    ]);
  });

  it('given free text, free-text places, participants and figures, shows none of them', () => {
    // Given
    const given = timeline([
      commitment({
        activities: [
          activity('a1', '2024-05-17', [], {
            unresolvedPlace: 'Storgatan 12, lgh 1102',
            corrections: ['Rättad: fel namn'],
          }),
        ],
      }),
    ]);
    // When
    const shown = JSON.stringify(residentsPromise(given, places));
    // Then
    for (const secret of [
      'Kalle',
      'Storgatan',
      'Rättad',
      'breathTests',
      'agenciesPresent',
      'police"]',
    ]) {
      expect(shown).not.toContain(secret);
    }
    expect(residentsPromise(given, places).commitments[0]!.places).toEqual([]);
  });

  it('given work done in confidence, shows only its blurred count; given a withdrawn activity or commitment, leaves them out', () => {
    // Given
    const given = timeline([
      commitment({
        commitmentId: 'joint-talks',
        owner: 'joint',
        restrictedWork: 'fewer than 5',
        activities: [
          activity('a1', '2024-05-17', ['bymiljovagen'], {
            status: 'withdrawn',
            withdrawalReason: 'Fel åtagande',
          }),
        ],
      }),
      commitment({ commitmentId: 'gone', status: 'withdrawn' }),
    ]);
    // When
    const view = residentsPromise(given, places);
    // Then
    expect(view.commitments.map((c) => c.commitmentId)).toEqual(['joint-talks']);
    expect(view.commitments[0]).toMatchObject({
      done: 0,
      doneInConfidence: 'fewer than 5',
      firstDoneOn: null,
      lastDoneOn: null,
      places: [],
    });
    expect(JSON.stringify(view)).not.toContain('Fel åtagande');
  });

  it('given a cadence, carries the periods due and fulfilled, not the missed weeks (which would date work done in confidence)', () => {
    const view = residentsPromise(
      timeline([
        commitment({
          status: 'behind',
          cadence: { per: 'week', times: 1 },
          fulfilment: {
            cadence: { per: 'week', times: 1 },
            periodsDue: 156,
            periodsFulfilled: 15,
            missed: ['2023-01-02'],
          },
        }),
      ]),
      places,
    );
    expect(view.commitments[0]!.fulfilment).toEqual({
      cadence: { per: 'week', times: 1 },
      periodsDue: 156,
      periodsFulfilled: 15,
    });
  });
});
