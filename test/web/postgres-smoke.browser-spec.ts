import { requirePostgres, TestDatabases } from '../../libs/event-store/src/postgres/test-databases';
import { seedActors } from '../../apps/api/src/seed/seed-step';
import { browserSuite } from '../support/browser-suite';
import { describeInBrowser, seriousAxeViolations } from '../support/chromium';

/**
 * The browser suites run on the embedded default; this smoke set runs the main paths once on
 * PostgreSQL (a fresh database with the Hammarö seed): sign-in, the worklist, a report seen
 * live by another agency, the promise with its PDF, and the residents' page.
 */
const pg = requirePostgres('the browser smoke set on PostgreSQL');
const databases = new TestDatabases(pg.url);

pg.describe('the web workspace on PostgreSQL', () => {
  afterAll(() => databases.dropAll());

  describeInBrowser('smoke set', () => {
    const { base, newPage, signedIn } = browserSuite(async () => ({
      DATABASE_URL: await databases.create(),
      SAMVERKAN_MAP_TILE_URL: 'none',
    }));

    it('signs a principal in, takes a report, and a police user sees it appear live', async () => {
      const police = await signedIn(seedActors.policeOfficer.userId, '/lagesbild');
      await police.locator('.report').first().waitFor();
      const school = await signedIn(seedActors.principal.userId, '/');
      await school
        .getByRole('heading', { level: 2, name: 'Nytt sedan ditt senaste besök' })
        .waitFor();
      await school.goto(`${base()}/rapportera`);
      const text = `Krossade lampor i gångtunneln (${Date.now()}).`;
      await school.getByLabel('Plats').selectOption({ label: 'Skoghall centrum' });
      await school.getByLabel('Skadegörelse och inbrott').check();
      await school.getByLabel('Från och med').fill('2026-11-01');
      await school.getByLabel('Till och med').fill('2026-11-30');
      await school.getByLabel('Ökande').check();
      await school.getByLabel('Medel').check();
      await school.getByLabel('Vad har ni sett?').fill(text);
      await school.getByLabel('Egen iakttagelse').check();
      await school.getByLabel('Hela samverkan').check();
      await school.getByRole('button', { name: 'Skicka rapporten' }).click();
      await school.getByRole('heading', { level: 1, name: 'Rapporten är registrerad' }).waitFor();
      // Live as soon as the log's watermark passes it: on a server other suites share, their
      // open transactions can hold it back for a while.
      await police.locator('.report', { hasText: text }).waitFor({ timeout: 100_000 });
    });

    it('shows the promise with its commitments and downloads the board report as PDF', async () => {
      const page = await signedIn(seedActors.boardChair.userId, '/medborgarlofte');
      await page.locator('.commitment').first().waitFor();
      expect(await page.locator('.commitment').count()).toBeGreaterThan(10);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Ladda ner som PDF' }).click(),
      ]);
      const file = await download.createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of file) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe('%PDF-');
    });

    it("answers the residents' page without sign-in", async () => {
      const page = await newPage();
      await page.goto(`${base()}/invanare`);
      await page.getByRole('heading', { level: 1, name: 'Vi lovade – vi gjorde' }).waitFor();
      await page.locator('.commitment').first().waitFor();
      expect(await page.locator('.commitment').count()).toBeGreaterThan(5);
      expect(await seriousAxeViolations(page)).toEqual([]);
    });
  });
});
