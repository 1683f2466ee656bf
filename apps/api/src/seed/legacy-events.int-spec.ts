import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore } from '@samverkan/event-store/event-store.config';
import type { EventStore, RecordedEvent } from '@samverkan/event-store/event-store.port';

/**
 * Events written before the places register (schema version 1, places as free text) stay in the
 * log as they were; every reader gets them in the current shape through the domain's upcasts,
 * which the store applies by default. Unmatched text is kept, never dropped.
 */
describe('events from before the places register, read from a real store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samverkan-legacy-'));
  let store: EventStore;
  const actor = { userId: 'u', agency: 'police', role: 'officer' };

  beforeAll(async () => {
    store = await createEventStore({ adapter: 'embedded', dataDir: dir });
    await store.start();
    await store.append(
      'citizen-promise-legacy',
      [
        {
          type: 'CommitmentActivityRecorded',
          schemaVersion: 1,
          data: {
            activityId: 'a-1',
            commitmentId: 'police-foot-patrol',
            kind: 'foot-patrol',
            date: '2024-08-16',
            place: 'Skoghall centrum och Lillängshamnen',
            agenciesPresent: ['police'],
            outcome: 'Fotpatrull',
            figures: {},
          },
        },
        {
          type: 'CommitmentActivityRecorded',
          schemaVersion: 1,
          data: {
            activityId: 'a-2',
            commitmentId: 'police-foot-patrol',
            kind: 'foot-patrol',
            date: '2024-08-17',
            place: 'Hammarö kyrka',
            agenciesPresent: ['police'],
            outcome: 'Fotpatrull',
            figures: {},
          },
        },
      ],
      { expectedRevision: 'no_stream', actor },
    );
    await store.append(
      'situation-report-legacy',
      [
        {
          type: 'SituationReported',
          schemaVersion: 1,
          data: {
            reportId: 'legacy',
            reportingAgency: 'police',
            area: 'Skoghall',
            place: 'Busshållplatsen vid Rudsvägen',
            problemArea: 'vandalism-burglary',
            period: { from: '2024-09-01', to: '2024-09-30' },
            trend: 'rising',
            severity: 'low',
            description: 'Klotter',
            source: 'own-observation',
            sensitivity: 'open',
            sharedWith: [],
          },
        },
      ],
      { expectedRevision: 'no_stream', actor },
    );
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const all = async (): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    for await (const e of store.readAll()) events.push(e);
    return events;
  };

  it('reads a version-1 activity as version 2, its text turned into the register’s place ids', async () => {
    const [matched, unmatched] = await all();
    expect(matched).toMatchObject({
      schemaVersion: 2,
      data: { placeIds: ['skoghall-centrum', 'lillangshamnen'] },
    });
    expect(matched!.data).not.toHaveProperty('place');
    // Text that matches no place is kept, to be shown as an unknown place.
    expect(unmatched).toMatchObject({
      schemaVersion: 2,
      data: { placeIds: [], unresolvedPlace: 'Hammarö kyrka' },
    });
  });

  it('places a version-1 report by its area when its place is unknown, keeping the place’s text', async () => {
    const report = (await all()).find((e) => e.type === 'SituationReported');
    expect(report).toMatchObject({
      schemaVersion: 2,
      data: { placeIds: ['skoghall'], unresolvedPlace: 'Busshållplatsen vid Rudsvägen' },
    });
    expect(report!.data).not.toHaveProperty('area');
  });

  it('reads the same through a stream read as through the log', async () => {
    const events: RecordedEvent[] = [];
    for await (const e of store.readStream('citizen-promise-legacy')) events.push(e);
    expect(events.map((e) => e.data)).toEqual(
      (await all()).filter((e) => e.streamId === 'citizen-promise-legacy').map((e) => e.data),
    );
  });
});
