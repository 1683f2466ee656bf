import type { Actor, EventStore, NewEvent } from '@samverkan/event-store/event-store.port';

const police: Actor = { userId: 'officer.1', agency: 'police', role: 'officer' };
const school: Actor = { userId: 'rektor.1', agency: 'school', role: 'principal' };
const areas = ['Skoghall centrum', 'Hammarö kyrka', 'Lillängshamnen', 'Mörmon', 'Stubbetorp'];
const problemAreas = ['alcohol-drug-crime', 'traffic-crime', 'vandalism-burglary'];

/**
 * A partnership's log in miniature for tests of the projections: promises with commitments and
 * activities (some corrected or withdrawn later), situation reports (some corrected or retracted,
 * some restricted), and events no read model but the audit trail cares about. Deterministic.
 * Returns the global position of the last event appended.
 */
export async function appendPartnershipLog(
  store: EventStore,
  options: { promises: number; activities: number; reports: number; prefix?: string },
): Promise<number> {
  const p = options.prefix ?? '';
  let last = 0;
  const track = (r: { globalPosition: number }) => {
    last = Math.max(last, r.globalPosition);
  };
  const promiseIds = Array.from({ length: options.promises }, (_, i) => `${p}promise-${i + 1}`);
  for (const promiseId of promiseIds) {
    const drafted = await store.append(
      `citizen-promise-${promiseId}`,
      [
        {
          type: 'PromiseDrafted',
          data: {
            promiseId,
            title: `Medborgarlöfte ${promiseId}`,
            municipality: 'Hammarö kommun',
            policeArea: 'Lokalpolisområde Karlstad',
            period: { from: '2023-01-01', to: '2025-12-31' },
            origin: 'Medborgardialoger',
            problemAreas: problemAreas.map((code, i) => ({ rank: i + 1, code, name: code })),
            focus: 'Trygghet i centrum',
            commitments: [
              {
                commitmentId: 'local-office',
                owner: 'police',
                description: 'Mobilt poliskontor',
                problemAreaRanks: [1, 3],
                cadence: { times: 1, per: 'week' },
              },
              {
                commitmentId: 'traffic',
                owner: 'police',
                description: 'Trafikkontroller',
                problemAreaRanks: [2],
              },
            ],
            signatories: [
              {
                signatoryId: 'chief',
                name: 'U S',
                title: 'Lokalpolisområdeschef',
                agency: 'police',
              },
            ],
            draftedOn: '2022-12-01',
          },
        },
        { type: 'PromiseSigned', data: { signatoryId: 'chief', signedOn: '2022-12-15' } },
      ],
      { expectedRevision: 'no_stream', actor: police },
    );
    track(drafted);
  }
  const activity = (n: number) => ({
    kind: n % 2 ? 'traffic-control' : 'local-office',
    date: new Date(Date.UTC(2023, 0, 2) + (n % 1000) * 86_400_000).toISOString().slice(0, 10),
    place: areas[n % areas.length]!,
    agenciesPresent: n % 3 ? ['police'] : ['police', 'municipality'],
    outcome: `Genomfört ${n}`,
    figures: { people: n % 17, vehicles: n % 5 },
  });
  let batch: { streamId: string; events: NewEvent[] }[] = [];
  const flush = async () => {
    await Promise.all(
      batch.map((b) =>
        store.append(b.streamId, b.events, { expectedRevision: 'any', actor: police }).then(track),
      ),
    );
    batch = [];
  };
  for (let n = 0; n < options.activities; n++) {
    const promiseId = promiseIds[n % promiseIds.length]!;
    const events: NewEvent[] = [
      {
        type: 'CommitmentActivityRecorded',
        data: {
          activityId: `${p}a-${n}`,
          commitmentId: n % 2 ? 'traffic' : 'local-office',
          ...activity(n),
        },
      },
    ];
    if (n >= 10 && n % 20 === 0) {
      events.push({
        type: 'CommitmentActivityCorrected',
        data: {
          activityId: `${p}a-${n - 10}`,
          reason: 'fel plats',
          ...activity(n - 10),
          place: 'Mörmon',
        },
      });
    }
    if (n >= 30 && n % 50 === 0) {
      events.push({
        type: 'CommitmentActivityWithdrawn',
        data: { activityId: `${p}a-${n - 30}`, reason: 'dubblett' },
      });
    }
    batch.push({ streamId: `citizen-promise-${promiseId}`, events });
    if (n < options.reports) {
      const details = {
        area: areas[n % areas.length]!,
        problemArea: problemAreas[n % problemAreas.length]!,
        period: { from: '2024-09-01', to: '2024-09-30' },
        trend: 'rising',
        severity: 'medium',
        description: `Observation ${n}`,
        source: 'own-observation',
        sensitivity: n % 4 ? 'open' : 'restricted',
        sharedWith: n % 4 ? [] : ['police'],
      };
      const report: NewEvent[] = [
        {
          type: 'SituationReported',
          data: { reportId: `${p}r-${n}`, reportingAgency: 'school', ...details },
        },
      ];
      if (n % 7 === 0) {
        report.push({
          type: 'SituationReportCorrected',
          data: { reason: 'ny bedömning', ...details, severity: 'high' },
        });
      }
      if (n % 11 === 0) report.push({ type: 'SituationReportRetracted', data: { reason: 'fel' } });
      const reported = await store.append(`situation-report-${p}r-${n}`, report, {
        expectedRevision: 'no_stream',
        actor: school,
      });
      track(reported);
    }
    if (n % 25 === 0) {
      batch.push({
        streamId: `safety-walk-${p}w-${n}`,
        events: [{ type: 'SafetyWalkPlanned', data: { walkId: `${p}w-${n}`, area: areas[0]! } }],
      });
    }
    if (batch.length >= 8) await flush();
  }
  await flush();
  if (options.reports > 0) {
    const confirmed = await store.append(
      `situation-picture-${p}hammaro`,
      [
        {
          type: 'SituationPictureConfirmed',
          data: {
            confirmationId: `${p}meeting`,
            meetingOn: '2024-10-15',
            period: { from: '2024-09-01', to: '2024-09-30' },
            reportIds: [`${p}r-0`, `${p}r-1`],
            summary: 'Lägesbilden fastställd vid samverkansmötet.',
          },
        },
      ],
      {
        expectedRevision: 'any',
        actor: { userId: 'trygghet.1', agency: 'municipality', role: 'safety-coordinator' },
      },
    );
    track(confirmed);
  }
  return last;
}
