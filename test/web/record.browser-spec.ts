import type { Page } from 'playwright-core';
import { HAMMARO_PROMISE_ID } from '../../apps/api/src/seed/hammaro-promise';
import { seedActors } from '../../apps/api/src/seed/seed-step';
import { browserSuite } from '../support/browser-suite';
import { describeInBrowser, screenshot, seriousAxeViolations } from '../support/chromium';

/**
 * The record forms in the browser: EST counts by a security guard, an activity by an officer on
 * a phone after a shift, and a credit by the safety coordinator; each with the keyboard alone,
 * the error summary, the API's own refusals at the fields, the personal-data confirmation, a
 * double click recording once, and a clear refusal for a role that may not record.
 */
describeInBrowser('recording EST counts, activities and credits in the browser', () => {
  const { base, signedIn } = browserSuite();

  /** Presses Tab until the element with this id (or a radio or checkbox of this group) has focus. */
  async function tabTo(page: Page, id: string): Promise<void> {
    for (let presses = 0; presses < 30; presses++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate<string>(
        'document.activeElement ? (document.activeElement.id || "") + "|" + (document.activeElement.getAttribute("name") || "") : ""',
      );
      if (at.split('|').includes(id)) return;
    }
    throw new Error(`Tab never reached #${id}`);
  }

  const focusedId = (page: Page) =>
    page.evaluate<string | undefined>(
      'document.activeElement?.id || document.activeElement?.className',
    );

  interface Own {
    week: string;
    places: { placeId: string; weeks: { week: string; counts: Record<string, number> | null }[] }[];
  }

  it('takes a week of EST counts typed with the keyboard alone, and the place leaves "missing this week"', async () => {
    const page = await signedIn(seedActors.securityGuard.userId, '/est-antal');
    await page.getByRole('heading', { level: 1, name: 'Rapportera EST-antal' }).waitFor();
    const missing = page.locator('.record-missing');
    await missing.getByRole('link', { name: 'Rapportera för Lillängshamnen' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'est-counts');

    await page.getByLabel('Plats', { exact: true }).focus();
    await page.keyboard.type('Lill'); // a select picks the option typed
    await tabTo(page, 'week');
    await page.keyboard.type('Vecka'); // the first: this week
    const counts = ['1', '3', '0', '0', '0', '2', '0'];
    for (const [i, n] of counts.entries()) {
      await page.keyboard.press('Tab');
      if (i === 0) expect(await focusedId(page)).toBe('count-vandalism');
      await page.keyboard.type(n);
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
    await tabTo(page, 'submit');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Antalen är rapporterade' }).waitFor();
    expect(await page.locator('.record-facts').textContent()).toContain('Lillängshamnen');

    await page.getByRole('button', { name: 'Rapportera en plats till' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rapportera EST-antal' }).waitFor();
    await missing.getByRole('link', { name: 'Rapportera för Hammarlundens skola' }).waitFor();
    expect(await missing.getByRole('link', { name: /Lillängshamnen/ }).count()).toBe(0);

    const own = (await (await page.request.get(`${base()}/api/est/counts/own`)).json()) as Own;
    const harbour = own.places.find((p) => p.placeId === 'lillangshamnen')!;
    expect(harbour.weeks[0]).toEqual({
      week: own.week,
      counts: {
        vandalism: 1,
        'gathering-places': 3,
        'unsafe-places': 0,
        'threats-to-staff': 0,
        rumours: 0,
        littering: 2,
        fires: 0,
      },
    });
  });

  it('shows what is missing in an error summary that takes focus and links to each field', async () => {
    const page = await signedIn(seedActors.securityGuard.userId, '/est-antal');
    await page.getByRole('button', { name: 'Skicka antalen' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Det finns ett problem' });
    await summary.waitFor();
    expect(await focusedId(page)).toBe('error-summary');
    expect(await summary.getByRole('link').count()).toBe(9);
    await summary.getByRole('link', { name: /Skadegörelse/ }).click();
    expect(await focusedId(page)).toBe('count-vandalism');
    expect(await page.locator('#count-vandalism').getAttribute('aria-describedby')).toContain(
      'count-vandalism-error',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('corrects a reported week with a reason, starting from what was reported', async () => {
    const page = await signedIn(seedActors.securityGuard.userId, '/est-antal');
    const fillWeek = async () => {
      await page
        .getByLabel('Plats', { exact: true })
        .selectOption({ label: 'Hammarlundens skola' });
      await page.getByLabel('Vecka', { exact: true }).selectOption({ index: 2 }); // last week
    };
    await fillWeek();
    for (const label of [
      'Skadegörelse',
      'Samlingsplatser',
      'Otrygga platser',
      'Hot mot personal',
    ]) {
      await page.getByLabel(label, { exact: true }).fill('1');
    }
    for (const label of ['Rykten', 'Nedskräpning', 'Bränder']) {
      await page.getByLabel(label, { exact: true }).fill('0');
    }
    await page.getByRole('button', { name: 'Skicka antalen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Antalen är rapporterade' }).waitFor();
    await page.getByRole('button', { name: 'Rapportera en plats till' }).click();

    // The week chosen again: the form says it is reported and starts from its counts.
    await fillWeek();
    await page.getByText('Ni har redan rapporterat').waitFor();
    expect(await page.getByLabel('Skadegörelse', { exact: true }).inputValue()).toBe('1');
    await page.getByRole('button', { name: 'Spara rättelsen' }).click();
    await page.getByRole('alert').filter({ hasText: 'Skriv varför ni rättar antalen' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('Skadegörelse', { exact: true }).fill('3');
    await page.getByLabel('Varför rättar ni?').fill('Vi missade två krossade rutor på gaveln.');
    await page.getByRole('button', { name: 'Spara rättelsen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Antalen är rättade' }).waitFor();
    const own = (await (await page.request.get(`${base()}/api/est/counts/own`)).json()) as Own;
    const school = own.places.find((p) => p.placeId === 'hammarlundens-skola')!;
    expect(school.weeks[1]!.counts).toMatchObject({ vandalism: 3, 'gathering-places': 1 });
  });

  it('records an activity typed on a phone after a shift, the API refusing a date outside the period at its field', async () => {
    const phone = { width: 390, height: 844 };
    const page = await signedIn(seedActors.policeOfficer.userId, '/aktivitet', phone);
    await page.getByRole('heading', { level: 1, name: 'Registrera en aktivitet' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    const outcome = `Trafikkontroll vid Lillängshamnen efter passet (${Date.now()}).`;

    await page.getByLabel('Åtagande').focus();
    await page.keyboard.type('Trafikk');
    await tabTo(page, 'date'); // today, after the seeded promise's period
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(new Date().toISOString().slice(0, 10));
    await tabTo(page, 'placeId');
    await page.keyboard.type('Lillängshamnen');
    await tabTo(page, 'kind');
    await page.keyboard.type('Trafikkontroll');
    await tabTo(page, 'figure-vehiclesChecked');
    await page.keyboard.type('24');
    await tabTo(page, 'figure-breathTests');
    await page.keyboard.type('22');
    await tabTo(page, 'outcome');
    await page.keyboard.type(outcome);
    await tabTo(page, 'submit');
    await page.keyboard.press('Enter');

    // The API refuses a day after the promise's period, at the date field.
    const summary = page.getByRole('alert').filter({ hasText: 'Det finns ett problem' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Datumet ligger utanför löftets period');
    expect(await page.locator('#date-error').textContent()).toContain('utanför löftets period');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await summary.getByRole('link', { name: /Datum/ }).press('Enter');
    expect(await focusedId(page)).toBe('date');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('2025-11-20');
    await tabTo(page, 'submit');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Aktiviteten är registrerad' }).waitFor();
    expect(await page.locator('.record-facts').textContent()).toContain('Trafikkontroll');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'record-activity-phone');

    const timeline = (await (
      await page.request.get(`${base()}/api/promises/${HAMMARO_PROMISE_ID}/timeline`)
    ).json()) as {
      commitments: {
        commitmentId: string;
        activities: { outcome: string; date: string; figures: Record<string, number> }[];
      }[];
    };
    const traffic = timeline.commitments.find((c) => c.commitmentId === 'police-traffic-controls')!;
    expect(traffic.activities.filter((a) => a.outcome === outcome)).toEqual([
      expect.objectContaining({
        date: '2025-11-20',
        figures: { vehiclesChecked: 24, breathTests: 22 },
      }),
    ]);
  });

  async function fillActivity(page: Page, outcome: string): Promise<void> {
    await page.getByLabel('Åtagande').selectOption({ index: 1 });
    await page.getByLabel('Datum').fill('2025-10-02');
    await page.getByLabel('Plats').selectOption({ label: 'Skoghall centrum' });
    await page.getByLabel('Vad gjorde ni?').selectOption({ label: 'Fotpatrullering' });
    await page.getByLabel('Vad blev resultatet?').fill(outcome);
  }

  const activitiesWith = async (page: Page, outcome: string) => {
    const doc = (await (
      await page.request.get(`${base()}/api/promises/${HAMMARO_PROMISE_ID}`)
    ).json()) as { activities: { outcome: string }[] };
    return doc.activities.filter((a) => a.outcome === outcome).length;
  };

  it('records an activity once when the button is double-clicked', async () => {
    const page = await signedIn(seedActors.policeOfficer.userId, '/aktivitet');
    const outcome = `Fotpatrull i centrum, lugnt (${Date.now()}).`;
    await fillActivity(page, outcome);
    await page.getByRole('button', { name: 'Registrera aktiviteten' }).dblclick();
    await page.getByRole('heading', { level: 1, name: 'Aktiviteten är registrerad' }).waitFor();
    expect(await activitiesWith(page, outcome)).toBe(1);
    // The next one is a new submission: a new key, an empty form.
    await page.getByRole('button', { name: 'Registrera en aktivitet till' }).click();
    expect(await page.getByLabel('Vad blev resultatet?').inputValue()).toBe('');
  });

  it('asks the author to confirm a number that only looks like a personal identity number', async () => {
    const page = await signedIn(seedActors.policeOfficer.userId, '/aktivitet');
    const outcome = `Ärende 650101-1231 om belysningen lämnat till kommunen (${Date.now()}).`;
    await fillActivity(page, outcome);
    await page.getByRole('button', { name: 'Registrera aktiviteten' }).click();
    await page.locator('#outcome-error').filter({ hasText: 'liknar ett personnummer' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('Jag bekräftar att texten inte innehåller något personnummer').check();
    await page.getByRole('button', { name: 'Registrera aktiviteten' }).click();
    await page.getByRole('heading', { level: 1, name: 'Aktiviteten är registrerad' }).waitFor();
    expect(await activitiesWith(page, outcome)).toBe(1);
  });

  it('tells a role that only reads, and an agency that carries no commitment, that they cannot record', async () => {
    const auditor = await signedIn('demo-partnerskapsrevisor', '/aktivitet');
    await auditor.getByRole('heading', { level: 2, name: 'Du kan inte registrera här' }).waitFor();
    expect(await auditor.getByText('Din roll läser men registrerar inte').count()).toBe(1);
    expect(await auditor.locator('form').count()).toBe(0);
    expect(await seriousAxeViolations(auditor)).toEqual([]);
    const housing = await signedIn(seedActors.housing.userId, '/tillgodorakna');
    await housing.getByText('Bostadsbolaget bär inget åtagande i medborgarlöftet').waitFor();
    expect(await housing.locator('form').count()).toBe(0);
  });

  it('credits a confirmed situation picture to a commitment with the keyboard, and takes it back with a reason', async () => {
    const page = await signedIn(seedActors.safetyCoordinator.userId, '/tillgodorakna');
    await page.getByRole('heading', { level: 1, name: 'Tillgodoräkna arbete' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Tillgodoräkna', exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Det finns ett problem' });
    await summary.waitFor();
    expect(await summary.getByRole('link').count()).toBe(2);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel('Trygghetsvandring').focus();
    await page.keyboard.press('ArrowDown'); // Bekräftad lägesbild
    await tabTo(page, 'workId');
    await page.keyboard.type('Lägesbild');
    await tabTo(page, 'commitmentId');
    await page.keyboard.type('Aktivt jobba med ANDTS');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'credit-work');
    await tabTo(page, 'submit');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Arbetet är tillgodoräknat' }).waitFor();

    const credited = async () => {
      const timeline = (await (
        await page.request.get(`${base()}/api/promises/${HAMMARO_PROMISE_ID}/timeline`)
      ).json()) as { commitments: { commitmentId: string; creditedWork: { id: string }[] }[] };
      return timeline.commitments
        .find((c) => c.commitmentId === 'municipality-andts')!
        .creditedWork.map((w) => w.id);
    };
    expect(await credited()).toEqual(['meeting-2024-10-15']);

    // Crediting it again is the API's to refuse, at the commitment.
    await page.getByRole('button', { name: 'Tillgodoräkna mer arbete' }).click();
    await page.getByLabel('Bekräftad lägesbild').check();
    await page.getByLabel('Vilket arbete?').selectOption({ index: 1 });
    await page.getByLabel('Till vilket åtagande?').selectOption('municipality-andts');
    await page.getByRole('button', { name: 'Tillgodoräkna', exact: true }).click();
    await page.locator('#commitmentId-error').filter({ hasText: 'redan tillgodoräknat' }).waitFor();

    const row = page.locator('.record-credit', { hasText: 'ANDTS' });
    await row.getByRole('button', { name: /Ta bort/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Ta bort ett tillgodoräknande' }).waitFor();
    await page.getByRole('button', { name: 'Ta bort tillgodoräknandet' }).click();
    await page.getByRole('alert').filter({ hasText: 'Skriv varför' }).waitFor();
    await page.getByLabel('Varför tas det bort?').fill('Mötet handlade inte om ANDTS.');
    await page.getByRole('button', { name: 'Ta bort tillgodoräknandet' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tillgodoräknandet är borttaget' }).waitFor();
    expect(await credited()).toEqual([]);
  });
});
