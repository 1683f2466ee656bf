import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import { hammaroActivities } from '../apps/api/src/seed/hammaro-activities';
import { hammaroPromise } from '../apps/api/src/seed/hammaro-promise';
import { Seeder } from '../apps/api/src/seed/seeder';
import { hammaroSeed } from '../apps/api/src/seed/hammaro';
import { DEMO_USERS } from '../apps/api/src/seed/demo-users';
import { seedActors } from '../apps/api/src/seed/seed-step';
import { bearer, startApi } from './support/api-harness';

/**
 * The suite signs in as the seeded demo users, whom the seed itself grants their roles (so no
 * grantUsers here: a demo user the seed failed to grant would be refused).
 */
const { youthWorker, safetyCoordinator, policeOfficer } = seedActors;

describe('demo data: the Hammarö promise on first start of the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-seed-'));
  let app: INestApplication;
  let http: Awaited<ReturnType<typeof startApi>>['http'];
  let restore: () => void;

  beforeAll(async () => {
    ({ app, http, restore } = await startApi({
      DATABASE_URL: undefined,
      SAMVERKAN_DATA_DIR: dataDir,
      SAMVERKAN_SEED: undefined, // the default: seed an empty embedded store
      SAMVERKAN_JWT_SECRET: 'e2e-secret-0123456789-0123456789-0123456789',
    }));
  });

  afterAll(async () => {
    await app?.close();
    restore?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the promise as the document states it, signed and in force, with months of activity', async () => {
    const res = await http()
      .get('/promises/hammaro-2023-2025')
      .set(bearer(youthWorker))
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'in_force',
      period: { from: '2023-01-01', to: '2025-12-31' },
      focus: 'Narkotika- och alkoholrelaterad brottslighet',
    });
    expect((res.body.problemAreas as { name: string }[]).map((p) => p.name)).toEqual([
      'Alkohol och drogrelaterad brottslighet',
      'Trafikbrottslighet',
      'Skadegörelse och inbrott',
    ]);
    const owners = (res.body.commitments as { owner: string }[]).map((c) => c.owner);
    expect(owners.filter((o) => o === 'police')).toHaveLength(5);
    expect(owners.filter((o) => o === 'joint')).toHaveLength(5);
    expect(owners.filter((o) => o === 'municipality')).toHaveLength(6);
    expect((res.body.signatories as { name: string }[]).map((s) => s.name)).toEqual([
      'Ulrika Sundström',
      'Solweig Gard',
      'Caroline Depui',
    ]);
    expect(res.body.followUps).toEqual([
      expect.objectContaining({ followUpId: 'autumn-2024', recipient: 'municipal-board' }),
    ]);
    expect(res.body.activities).toHaveLength(hammaroActivities().length);
    expect(res.body.commitments).toHaveLength(hammaroPromise.commitments.length);
  });

  it('grants every demo user their role in the register, under their agency', async () => {
    for (const { actor } of DEMO_USERS) {
      const res = await http().get('/me').set(bearer(actor));
      expect([actor.userId, res.status, res.body.agency, res.body.role]).toEqual([
        actor.userId,
        200,
        actor.agency,
        actor.role,
      ]);
    }
  });

  it('is idempotent: seeding again writes nothing', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const before = (await store.status()).headPosition;
    const report = await app.get(Seeder).seed();
    expect(report).toEqual({
      steps: hammaroSeed().length,
      written: 0,
      alreadyThere: hammaroSeed().length,
    });
    expect((await store.status()).headPosition).toBe(before);
  });

  it('records every seeded event with the actor of the agency that did it', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const agencies = new Set<string>();
    for await (const event of store.readAll()) agencies.add(event.actor.agency);
    expect([...agencies].sort()).toEqual(
      [
        'housing-company',
        'leisure',
        'municipal-security',
        'municipality',
        'police',
        'school',
        'social-services',
      ].sort(),
    );
  });

  it('produces the autumn-2024 follow-up for the municipal board from the log', async () => {
    const res = await http()
      .get(
        '/promises/hammaro-2023-2025/follow-up-report?from=2024-08-05&to=2024-12-01&format=markdown',
      )
      .set(bearer(safetyCoordinator))
      .expect(200);
    expect(res.headers['content-type']).toMatch(/text\/markdown/);
    expect(res.text).toContain('## 1. Alkohol och drogrelaterad brottslighet');
    expect(res.text).toContain('- **Uppfyllelse:** 1 gång per vecka: genomfört 15 av 17 veckor');
    expect(res.text).toContain('- **Missade perioder (startdatum):** 2024-09-16, 2024-10-28');
    const json = await http()
      .get('/promises/hammaro-2023-2025/follow-up-report?from=2024-08-05&to=2024-12-01')
      .set(bearer(policeOfficer))
      .expect(200);
    const traffic = (
      json.body.commitments.problemAreas[1].commitments as {
        commitmentId: string;
        activities: number;
        figures: { name: string; label: string; value: number }[];
      }[]
    ).find((c) => c.commitmentId === 'police-traffic-controls');
    expect(traffic).toMatchObject({
      activities: 4,
      figures: expect.arrayContaining([
        { name: 'vehiclesChecked', label: 'Kontrollerade fordon', value: 60 + 71 + 82 + 93 },
      ]),
    });
    await http()
      .get('/promises/hammaro-2023-2025/follow-up-report?from=2024-13-01')
      .set(bearer(policeOfficer))
      .expect(400);
  });
});
