import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { seedActors } from '../apps/api/src/seed/seed-step';
import { isoWeekOf, swedishDate } from '../libs/domain/src/calendar';
import { bearer, startApi, TEST_SECRET } from './support/api-harness';

/**
 * What the EST reporting form reads: an agency's own counts at the places it reports for, this
 * week and the seven before, so it sees what is missing and what it may correct; never another
 * agency's counts, and nothing for an agency that reports nowhere.
 */
const { securityGuard, socialWorker, municipalPoliceOfficer } = seedActors;

interface Own {
  agency: string;
  week: string;
  places: { placeId: string; name: string; weeks: { week: string; counts: unknown }[] }[];
}

describe("EST: an agency's own counts for the reporting form", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-est-own-'));
  let app: INestApplication;
  let http: Awaited<ReturnType<typeof startApi>>['http'];
  let restore: () => void;

  beforeAll(async () => {
    ({ app, http, restore } = await startApi({
      DATABASE_URL: undefined,
      SAMVERKAN_DATA_DIR: dataDir,
      SAMVERKAN_SEED: 'auto',
      SAMVERKAN_JWT_SECRET: TEST_SECRET,
    }));
  });

  afterAll(async () => {
    await app?.close();
    restore?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const counts = {
    vandalism: 2,
    'gathering-places': 1,
    'unsafe-places': 0,
    'threats-to-staff': 0,
    rumours: 0,
    littering: 4,
    fires: 0,
  };

  it("lists the guards' places with this week missing, then reported, and no other agency's", async () => {
    const week = isoWeekOf(swedishDate(new Date()));
    const before = (await http().get('/est/counts/own').set(bearer(securityGuard)).expect(200))
      .body as Own;
    expect(before.agency).toBe('municipal-security');
    expect(before.week).toBe(week);
    expect(before.places.map((p) => [p.placeId, p.name])).toEqual([
      ['hammarlundens-skola', 'Hammarlundens skola'],
      ['lillangshamnen', 'Lillängshamnen'],
    ]);
    const harbour = before.places[1]!;
    expect(harbour.weeks).toHaveLength(8);
    expect(harbour.weeks[0]).toEqual({ week, counts: null });

    await http()
      .post('/est/counts')
      .set(bearer(securityGuard))
      .send({ placeId: 'lillangshamnen', week, counts })
      .expect(201);
    const after = (await http().get('/est/counts/own').set(bearer(securityGuard)).expect(200))
      .body as Own;
    expect(after.places[1]!.weeks[0]).toEqual({ week, counts });
    expect(after.places[0]!.weeks[0]).toEqual({ week, counts: null });

    // The police report for the town centre: their counts are theirs, not the guards'.
    await http()
      .post('/est/counts')
      .set(bearer(municipalPoliceOfficer))
      .send({ placeId: 'skoghall-centrum', week, counts })
      .expect(201);
    const police = (
      await http().get('/est/counts/own').set(bearer(municipalPoliceOfficer)).expect(200)
    ).body as Own;
    expect(police.places.map((p) => p.placeId)).toEqual(['skoghall-centrum']);
    expect(police.places[0]!.weeks[0]).toEqual({ week, counts });
  });

  it('answers an agency that reports nowhere with no places', async () => {
    const own = (await http().get('/est/counts/own').set(bearer(socialWorker)).expect(200))
      .body as Own;
    expect(own).toMatchObject({ agency: 'social-services', places: [] });
  });
});
