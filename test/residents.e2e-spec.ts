import type { Actor } from '../libs/domain/src/actor';
import { bearer, embeddedApi } from './support/api-harness';

/**
 * "Vi lovade – vi gjorde" for residents, without signing in: what the partnership promised and
 * what it has done, and nothing an anonymous caller may not read.
 */
const coordinator: Actor = {
  userId: 'samordnare.inv',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const PROMISE = 'hammaro-2023-2025';

describe("the residents' page's API, on the seeded embedded store", () => {
  const { http } = embeddedApi({ SAMVERKAN_SEED: 'auto' }, [coordinator]);

  it('lists the promises in force without credentials', async () => {
    const res = await http().get('/api/public/promises').expect(200);
    expect(res.body.items).toEqual([
      {
        promiseId: PROMISE,
        title: 'Polisens medborgarlöfte i samverkan med Hammarö kommun 2023–2025',
        period: { from: '2023-01-01', to: '2025-12-31' },
      },
    ]);
  });

  it('answers what was promised and done: counts, dates, kinds and registered places', async () => {
    const res = await http().get(`/api/public/promises/${PROMISE}`).expect(200);
    const traffic = (res.body.commitments as { commitmentId: string }[]).find(
      (c) => c.commitmentId === 'police-traffic-controls',
    ) as Record<string, unknown>;
    expect(traffic).toMatchObject({
      owner: 'police',
      status: 'active',
      firstDoneOn: expect.stringMatching(/^2024-/),
      lastDoneOn: expect.stringMatching(/^2024-/),
    });
    expect(traffic['done']).toBeGreaterThanOrEqual(4);
    expect(traffic['kinds']).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'traffic-control' })]),
    );
    expect(traffic['places']).toEqual(
      expect.arrayContaining([{ placeId: 'bymiljovagen', name: expect.any(String) }]),
    );
  });

  it('holds no free text, no figures, no participants and no credited talk beyond a blurred count', async () => {
    const signedIn = await http()
      .get(`/api/promises/${PROMISE}/timeline`)
      .set(bearer(coordinator))
      .expect(200);
    const texts = (signedIn.body.commitments as { activities: { outcome: string }[] }[]).flatMap(
      (c) => c.activities.map((a) => a.outcome),
    );
    expect(texts.length).toBeGreaterThan(10);
    const shown = (await http().get(`/api/public/promises/${PROMISE}`).expect(200)).text;
    for (const text of texts) expect(shown).not.toContain(text.slice(0, 30));
    for (const field of ['outcome', 'figures', 'agenciesPresent', 'unresolvedPlace', 'missed']) {
      expect(shown).not.toContain(`"${field}"`);
    }
    // Restricted work is a count, 1–4 blurred, never a list.
    for (const c of JSON.parse(shown).commitments as { doneInConfidence: unknown }[]) {
      expect(
        [null, 'fewer than 5'].includes(c.doneInConfidence as never) ||
          (typeof c.doneInConfidence === 'number' && c.doneInConfidence >= 5),
      ).toBe(true);
    }
  });

  it('answers a promise that is not in force as if it did not exist', async () => {
    const draft = {
      promiseId: 'utkast-2027',
      title: 'Utkast till medborgarlöfte 2027',
      municipality: 'Hammarö kommun',
      policeArea: 'Lokalpolisområde Karlstad',
      period: { from: '2027-01-01', to: '2027-12-31' },
      origin: 'Test',
      problemAreas: [{ rank: 1, code: 'vandalism-burglary', name: 'Skadegörelse och inbrott' }],
      focus: 'Trygghet',
      commitments: [
        {
          commitmentId: 'walks',
          owner: 'joint',
          description: 'En trygghetsvandring i månaden',
          problemAreaRanks: [1],
        },
      ],
      signatories: [
        { signatoryId: 'lpo', name: 'Chef LPO', title: 'Chef', agency: 'police' },
        { signatoryId: 'ks', name: 'KS ordförande', title: 'Ordförande', agency: 'municipality' },
      ],
    };
    const created = await http()
      .post('/api/promises')
      .set(bearer(coordinator))
      .send(draft)
      .expect(201);
    // Once the read model holds the draft (the signed-in list shows it), the public one does not.
    const partners = await http()
      .get(`/api/promises?waitFor=${created.body.globalPosition}`)
      .set(bearer(coordinator))
      .expect(200);
    expect(JSON.stringify(partners.body)).toContain('utkast-2027');
    const missing = await http().get('/api/public/promises/no-such-promise').expect(404);
    const drafted = await http().get('/api/public/promises/utkast-2027').expect(404);
    expect(drafted.body.code).toBe(missing.body.code);
    const list = await http().get('/api/public/promises').expect(200);
    expect(JSON.stringify(list.body)).not.toContain('utkast-2027');
  });
});
