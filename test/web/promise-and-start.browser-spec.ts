import { seedActors } from '../../apps/api/src/seed/seed-step';
import { tokenFor } from '../support/api-harness';
import { browserSuite } from '../support/browser-suite';
import { describeInBrowser, screenshot, seriousAxeViolations } from '../support/chromium';

/**
 * The start page's "new since your last visit", the page that leads to every form, and the
 * citizen promise's commitments with their fulfilment chart, timeline and print view.
 */
describeInBrowser('the start page and the citizen promise in the browser', () => {
  const { base, signedIn } = browserSuite();

  const reportAs = async (actor: (typeof seedActors)[keyof typeof seedActors], text: string) => {
    const res = await fetch(`${base()}/api/situation-reports`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${tokenFor(actor)}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        reportId: `besok-${Date.now()}`,
        placeIds: ['skoghall-centrum'],
        problemArea: 'vandalism-burglary',
        period: { from: '2026-11-01', to: '2026-11-30' },
        trend: 'rising',
        severity: 'medium',
        description: text,
        source: 'own-observation',
        sensitivity: 'open',
        sharedWith: [],
      }),
    });
    expect(res.status).toBe(201);
  };

  it('shows what others did since the last visit, live, and forgets it once marked as seen', async () => {
    const police = await signedIn(seedActors.municipalPoliceOfficer.userId, '/');
    const changes = police.getByRole('region', { name: 'Nytt sedan ditt senaste besök' });
    await changes.getByRole('button', { name: 'Markera som sett' }).click();
    await changes.getByText('Inget nytt som du får se.').waitFor();

    // The school reports while the officer's start page is open: it shows without a reload,
    // as a kind of change with the agency, never what the report says.
    await reportAs(seedActors.principal, 'Klotter på skolans gavel.');
    const item = changes.getByRole('link', { name: 'Ny rapport till lägesbilden' });
    await item.waitFor();
    expect(await changes.textContent()).toContain('Skolan');
    expect(await changes.textContent()).not.toContain('Klotter');
    expect(await seriousAxeViolations(police)).toEqual([]);
    await screenshot(police, 'start-changes');

    // Marked as seen with the keyboard; a reload does not bring it back.
    await changes.getByRole('button', { name: 'Markera som sett' }).focus();
    await police.keyboard.press('Enter');
    await changes.getByText('Inget nytt som du får se.').waitFor();
    await police.reload();
    await police
      .getByRole('region', { name: 'Nytt sedan ditt senaste besök' })
      .getByText('Inget nytt som du får se.')
      .waitFor();

    // The link leads to the situation picture.
    await reportAs(seedActors.principal, 'Stök vid busshållplatsen.');
    await item.click();
    await police.getByRole('heading', { level: 1, name: 'Lägesbild' }).waitFor();
  });

  it('leads to every form from one page, with the keyboard', async () => {
    const page = await signedIn(seedActors.youthWorker.userId, '/');
    await page.getByRole('navigation').getByRole('link', { name: 'Registrera' }).click();
    await page.getByRole('heading', { level: 1, name: 'Registrera' }).waitFor();
    const forms = page.getByRole('main').getByRole('heading', { level: 2 });
    expect(await forms.allTextContents()).toEqual([
      'Rapportera till lägesbilden',
      'Registrera en aktivitet',
      'Trygghetsvandringar',
      'Brister',
      'Förebyggande samtal',
      'EST-rapport',
      'Tillgodoräkna arbete',
    ]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Rapportera till lägesbilden' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Rapportera till lägesbilden' }).waitFor();
  });

  it("shows each commitment's fulfilment as a chart with the same in words, and its work as a timeline", async () => {
    const page = await signedIn(seedActors.boardChair.userId, '/medborgarlofte');
    const office = page.locator('.commitment', { hasText: 'mobila poliskontoret' }).first();
    await office.waitFor();
    const chart = office.getByRole('img');
    expect(await chart.getAttribute('aria-label')).toMatch(/^Uppfyllt \d+ av \d+ veckor/);
    const bars = await office.locator('rect').count();
    const [, fulfilled, due] = /Uppfyllt (\d+) av (\d+)/.exec(
      (await chart.getAttribute('aria-label'))!,
    )!;
    // One bar per week due, the missed ones drawn differently.
    expect(bars).toBe(Number(due));
    expect(await office.locator('rect.fulfilment__met').count()).toBe(Number(fulfilled));

    const traffic = page.locator('.commitment', { hasText: 'trafikkontroller' }).first();
    const shown = traffic.locator('.timeline').first().locator('li');
    expect(await shown.count()).toBeGreaterThan(0);
    expect(await shown.first().textContent()).toMatch(/\d{4}/);
    // The rest behind "show all", opened with the keyboard.
    const more = traffic.locator('summary');
    if ((await more.count()) > 0) {
      await more.focus();
      await page.keyboard.press('Enter');
      expect(await traffic.locator('details').getAttribute('open')).not.toBeNull();
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'promise');
  });

  it('prints the follow-up report without the app around it', async () => {
    const page = await signedIn(seedActors.boardChair.userId, '/medborgarlofte');
    await page.getByRole('link', { name: 'Utskriftsvy' }).click();
    const title = page.getByRole('heading', { level: 1 });
    await title.waitFor();
    expect(await title.textContent()).toContain('Uppföljning av medborgarlöftet');
    await page.getByRole('heading', { name: 'Sammanfattning' }).waitFor();
    expect(await page.locator('table').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Skriv ut' }).isVisible()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'promise-print');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Skriv ut' }).isVisible()).toBe(false);
    expect(await title.isVisible()).toBe(true);
  });
});
