import type { Page } from 'playwright-core';
import { seedActors } from '../../apps/api/src/seed/seed-step';
import { browserSuite } from '../support/browser-suite';
import { describeInBrowser, screenshot, seriousAxeViolations } from '../support/chromium';

/**
 * Reporting to the situation picture from the browser, as a school user would, and what the
 * other agencies then see: the form with the keyboard alone, its error summary, a retry after a
 * lost answer recording once, the personal-data confirmation, and a restricted report kept from
 * an agency it was not shared with.
 */
describeInBrowser('reporting to the situation picture in the browser', () => {
  // The situation picture draws a map: no test loads its tiles.
  const { base, signedIn } = browserSuite({ SAMVERKAN_MAP_TILE_URL: 'none' });

  /** Presses Tab until the element with this id (or a radio of this group) has focus. */
  async function tabTo(page: Page, id: string): Promise<void> {
    for (let presses = 0; presses < 6; presses++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate<string>(
        'document.activeElement ? (document.activeElement.id || "") + "|" + (document.activeElement.getAttribute("name") || "") : ""',
      );
      if (at.split('|').includes(id)) return;
    }
    throw new Error(`Tab never reached #${id}`);
  }

  /** Fills the form by mouse-free means where the test is about the keyboard, else directly. */
  async function fill(page: Page, description: string, restrictedTo?: string[]): Promise<void> {
    await page.getByLabel('Plats').selectOption({ label: 'Skoghall centrum' });
    await page.getByLabel('Skadegörelse och inbrott').check();
    await page.getByLabel('Från och med').fill('2026-11-01');
    await page.getByLabel('Till och med').fill('2026-11-30');
    await page.getByLabel('Ökande').check();
    await page.getByLabel('Medel').check();
    await page.getByLabel('Vad har ni sett?').fill(description);
    await page.getByLabel('Egen iakttagelse').check();
    if (restrictedTo) {
      await page.getByLabel('Begränsad').check();
      for (const agency of restrictedTo) await page.getByLabel(agency, { exact: true }).check();
    } else {
      await page.getByLabel('Hela samverkan').check();
    }
  }

  it('takes a report filled in with the keyboard alone, which a police user then sees', async () => {
    // The police user has the situation picture open already: the report appears there, live.
    const police = await signedIn(seedActors.policeOfficer.userId, '/lagesbild');
    await police.locator('.report').first().waitFor();
    const school = await signedIn(seedActors.principal.userId, '/rapportera');
    await school.getByRole('heading', { level: 1, name: 'Rapportera till lägesbilden' }).waitFor();
    expect(await seriousAxeViolations(school)).toEqual([]);
    await screenshot(school, 'report-form');
    // From the place select on, only the keys a keyboard user presses: Tab to each field in
    // order (within a few presses: a date input's parts take some), then type or choose.
    await school.getByLabel('Plats').focus();
    await school.keyboard.type('Skoghall c'); // a select picks the option typed
    await tabTo(school, 'problemArea');
    await school.keyboard.press('ArrowDown'); // to the second area…
    await school.keyboard.press('ArrowDown'); // …and the third, Skadegörelse och inbrott
    await tabTo(school, 'periodFrom');
    await school.keyboard.type('2026-11-01');
    await tabTo(school, 'periodTo');
    await school.keyboard.type('2026-11-30');
    await tabTo(school, 'trend');
    await school.keyboard.press('Space'); // the first, Ökande
    await tabTo(school, 'severity');
    await school.keyboard.press('ArrowRight'); // Medel
    await tabTo(school, 'description');
    await school.keyboard.type('Klotter på skolans gavel varje helg i november.');
    await tabTo(school, 'source');
    await school.keyboard.press('Space'); // Egen iakttagelse
    await tabTo(school, 'sensitivity');
    await school.keyboard.press('Space'); // Hela samverkan
    await tabTo(school, 'submit');
    await school.keyboard.press('Enter');
    await school.getByRole('heading', { level: 1, name: 'Rapporten är registrerad' }).waitFor();

    const report = police.locator('.report', {
      hasText: 'Klotter på skolans gavel varje helg i november.',
    });
    await report.waitFor();
    expect(
      await police.getByRole('status').filter({ hasText: 'Lägesbilden har uppdaterats.' }).count(),
    ).toBe(1);
    expect(await report.textContent()).toContain('Skolan rapporterade');
    expect(await report.textContent()).toContain('Skoghall centrum');
    expect(await seriousAxeViolations(police)).toEqual([]);
    await screenshot(police, 'situation-picture');
  });

  it('shows what is missing in an error summary that takes focus and links to each field', async () => {
    const page = await signedIn(seedActors.studentHealth.userId, '/rapportera');
    await page.getByRole('button', { name: 'Skicka rapporten' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Det finns ett problem' });
    await summary.waitFor();
    await expect(
      page.evaluate<string | undefined>('document.activeElement?.className'),
    ).resolves.toBe('error-summary');
    expect(await summary.getByRole('link').count()).toBe(9);
    await summary.getByRole('link', { name: /Vad har ni sett\?/ }).click();
    await expect(page.evaluate<string | undefined>('document.activeElement?.id')).resolves.toBe(
      'description',
    );
    // The message is at the field too, and read out with it.
    expect(await page.getByLabel('Vad har ni sett?').getAttribute('aria-describedby')).toContain(
      'description-error',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'report-form-errors');
  });

  it('records a report once when the answer was lost and the user sends it again', async () => {
    const page = await signedIn(seedActors.principal.userId, '/rapportera');
    const text = `Krossade rutor vid cykelstället (${Date.now()}).`;
    await fill(page, text);
    // The first answer never reaches the browser: the API stored the report, the user sees a
    // network error and presses the button again, with the same Idempotency-Key.
    let sent = 0;
    await page.route('**/api/situation-reports', async (route) => {
      sent++;
      if (sent === 1) {
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.getByRole('button', { name: 'Skicka rapporten' }).click();
    await page.getByRole('alert').filter({ hasText: 'Det finns ett problem' }).waitFor();
    await page.getByRole('button', { name: 'Skicka rapporten' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rapporten är registrerad' }).waitFor();
    expect(sent).toBe(2);
    const list = await page.request.get(`${base()}/api/situation-reports?limit=100`);
    const items = ((await list.json()) as { items: { description: string }[] }).items;
    expect(items.filter((r) => r.description === text)).toHaveLength(1);
  });

  it('asks the author to confirm a number that only looks like a personal identity number', async () => {
    const page = await signedIn(seedActors.principal.userId, '/rapportera');
    const text = 'Ärendenummer 650101-1231 hos kommunen gäller belysningen.';
    await fill(page, text);
    await page.getByRole('button', { name: 'Skicka rapporten' }).click();
    await page.getByText('Texten innehåller något som liknar ett personnummer').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('Jag bekräftar att texten inte innehåller något personnummer').check();
    await page.getByRole('button', { name: 'Skicka rapporten' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rapporten är registrerad' }).waitFor();
  });

  it('keeps a restricted report from an agency it was not shared with', async () => {
    const school = await signedIn(seedActors.principal.userId, '/rapportera');
    const text = `Oro för elever kring busshållplatsen (${Date.now()}).`;
    await fill(school, text, ['Polisen']);
    await school.getByRole('button', { name: 'Skicka rapporten' }).click();
    await school.getByRole('heading', { level: 1, name: 'Rapporten är registrerad' }).waitFor();

    // Listed only with a purpose, for the agencies it was shared with.
    const police = await signedIn(seedActors.policeOfficer.userId, '/lagesbild');
    await police.locator('.report').first().waitFor();
    expect(await police.locator('.report', { hasText: text }).count()).toBe(0);
    await police.getByLabel('Syfte för att visa begränsade rapporter').fill('SSPF-möte november');
    await police.getByRole('button', { name: 'Visa begränsade' }).click();
    await police.locator('.report', { hasText: text }).waitFor();
    const leisure = await signedIn(seedActors.youthWorker.userId, '/lagesbild');
    await leisure.getByLabel('Syfte för att visa begränsade rapporter').fill('SSPF-möte november');
    await leisure.getByRole('button', { name: 'Visa begränsade' }).click();
    await leisure.getByText('Syfte: SSPF-möte november').waitFor();
    await leisure.locator('.report').first().waitFor();
    expect(await leisure.locator('.report', { hasText: text }).count()).toBe(0);
    expect(await leisure.content()).not.toContain('busshållplatsen');
  });

  it('lets the reporter correct a report, removing text that held personal data, and retract it', async () => {
    const school = await signedIn(seedActors.principal.userId, '/rapportera');
    const wrong = `Eleven Kalle Svensson i 8B syns ofta vid kiosken (${Date.now()}).`;
    await fill(school, wrong);
    await school.getByRole('button', { name: 'Skicka rapporten' }).click();
    await school.getByRole('heading', { level: 1, name: 'Rapporten är registrerad' }).waitFor();
    const mine = (
      (await (await school.request.get(`${base()}/api/situation-reports?limit=100`)).json()) as {
        items: { reportId: string; description: string }[];
      }
    ).items.find((r) => r.description === wrong)!;
    const { headPosition: before } = (await (
      await school.request.get(`${base()}/api/worklist/changes`)
    ).json()) as { headPosition: number };

    // From the situation picture, to the report's own correction form, prefilled.
    await school.goto(`${base()}/lagesbild`);
    const card = school.locator('.report', { hasText: wrong });
    await card.getByRole('link', { name: 'Rätta eller återkalla' }).click();
    await school.getByRole('heading', { level: 1, name: 'Rätta rapporten' }).waitFor();
    expect(await school.getByLabel('Vad har ni sett?').inputValue()).toBe(wrong);
    // The reason is asked for first.
    await school.getByLabel('Vad har ni sett?').fill('Elever syns ofta vid kiosken efter skoltid.');
    await school.getByRole('button', { name: 'Spara rättelsen' }).click();
    await school.getByRole('alert').filter({ hasText: 'Skriv varför' }).waitFor();
    expect(await seriousAxeViolations(school)).toEqual([]);
    await school.getByLabel('Varför rättar du rapporten?').fill('Ett namn skulle inte stå med.');
    await school.getByLabel('Den tidigare texten innehöll personuppgifter: ta bort den').check();
    await school.getByRole('button', { name: 'Spara rättelsen' }).click();
    await school.getByRole('heading', { level: 1, name: 'Rättelsen är registrerad' }).waitFor();

    // The earlier text is gone from the past too: the picture as it was before the correction.
    const past = await (
      await school.request.get(`${base()}/api/situation-picture?asOf=${before}`)
    ).text();
    expect(past).not.toContain('Kalle Svensson');
    expect(past).toContain('[borttagen vid rättelse]');

    // Retracted with a reason: it leaves the picture.
    await school.goto(`${base()}/rapportera/${mine.reportId}`);
    await school.getByRole('button', { name: 'Återkalla rapporten …' }).click();
    await school.getByLabel('Varför återkallar du rapporten?').fill('Rapporten hör inte hit.');
    await school.getByRole('button', { name: 'Återkalla', exact: true }).click();
    await school.getByText('Rapporten är återkallad.').waitFor();
    const police = await signedIn(seedActors.policeOfficer.userId, '/lagesbild');
    await police.locator('.report').first().waitFor();
    expect(
      await police.locator('.report', { hasText: 'Elever syns ofta vid kiosken' }).count(),
    ).toBe(0);
    // Not the reporter: no way to correct the school's report.
    expect(await police.getByRole('link', { name: 'Rätta eller återkalla' }).count()).toBe(
      await police.locator('.report', { hasText: 'Polisen rapporterade' }).count(),
    );
  });
});
