import type { Page } from 'playwright-core';
import { seedActors } from '../../apps/api/src/seed/seed-step';
import { browserSuite } from '../support/browser-suite';
import { describeInBrowser, screenshot, seriousAxeViolations } from '../support/chromium';

/**
 * The safety coordinator's registers in the browser: administration as the coordinator meets
 * it, the places register (a place registered with the keyboard alone, from a name the
 * worklist suggests, then offered in the report form; changed with a reason), and the EST
 * reporters added and removed; each form's error summary, and axe in each state.
 */
describeInBrowser('the coordinator’s registers in the browser', () => {
  const { base, signedIn } = browserSuite();
  const coordinator = seedActors.safetyCoordinator.userId;

  /** Presses Tab until the element with this id (or a radio of this group) has focus. */
  async function tabTo(page: Page, id: string, most = 30): Promise<void> {
    for (let presses = 0; presses < most; presses++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate<string>(
        'document.activeElement ? (document.activeElement.id || "") + "|" + (document.activeElement.getAttribute("name") || "") : ""',
      );
      if (at.split('|').includes(id)) return;
    }
    throw new Error(`Tab never reached #${id}`);
  }

  it('gives the coordinator links to the registers and the users they appoint, and refuses a police officer', async () => {
    const page = await signedIn(coordinator, '/administration');
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    for (const name of ['Platsregistret', 'EST-rapportörer', 'Medborgardialogen']) {
      expect(await page.getByRole('link', { name, exact: true }).count()).toBe(1);
    }
    // The users the coordinator appoints, each with their agency: no broken list, no error.
    await page
      .getByRole('heading', { level: 2, name: /Användaradministratörer och granskare i/ })
      .waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    const schoolAdmin = page.locator('.user[data-user-id="demo-admin-school"]');
    expect(await schoolAdmin.textContent()).toContain('Skolan');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'administration-coordinator');

    const officer = await signedIn(seedActors.policeOfficer.userId, '/administration');
    await officer
      .getByRole('heading', { level: 2, name: 'Du har inte behörighet till den här sidan' })
      .waitFor();
    expect(await officer.locator('.user').count()).toBe(0);
  });

  it('registers a place typed with the keyboard alone, which the report form then offers', async () => {
    const page = await signedIn(coordinator, '/platser');
    await page.getByRole('heading', { level: 1, name: 'Platsregistret' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Sent empty: the error summary takes focus and links to each field.
    await page.getByRole('button', { name: 'Registrera platsen' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Det finns ett problem' });
    await summary.waitFor();
    await expect(
      page.evaluate<string | undefined>('document.activeElement?.className'),
    ).resolves.toBe('error-summary');
    expect(await summary.getByRole('link').count()).toBe(5);
    await summary.getByRole('link', { name: /Latitud/ }).click();
    await expect(page.evaluate<string | undefined>('document.activeElement?.id')).resolves.toBe(
      'latitude',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'places-errors');

    // From the worklist's unknown place: the name comes prefilled.
    await page.goto(`${base()}/platser?name=${encodeURIComponent('Lillängsparken')}`);
    await page.getByRole('heading', { level: 1, name: 'Platsregistret' }).waitFor();
    expect(await page.getByLabel('Namn').inputValue()).toBe('Lillängsparken');
    await tabTo(page, 'name');
    await page.keyboard.press('End');
    await page.keyboard.type(' vid hamnen');
    await tabTo(page, 'kind', 3);
    await page.keyboard.type('Park');
    await tabTo(page, 'areaId', 3);
    await page.keyboard.type('Skoghall c');
    await tabTo(page, 'latitude', 3);
    await page.keyboard.type('59,3219');
    await tabTo(page, 'longitude', 3);
    await page.keyboard.type('13.4571');
    await tabTo(page, 'precision', 3);
    await page.keyboard.press('Space'); // the first, Ungefärlig
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'places');
    await tabTo(page, 'submit', 3);
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: 'Lillängsparken vid hamnen är registrerad.' })
      .waitFor();
    const row = page.locator('tr[data-place-id="lillangsparken-vid-hamnen"]');
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('Park');
    expect(text).toContain('Skoghall centrum');
    expect(text).toContain('59,32190, 13,45710');
    expect(text).toContain('Ungefärlig');

    const report = await signedIn(seedActors.principal.userId, '/rapportera');
    await report.getByRole('heading', { level: 1, name: 'Rapportera till lägesbilden' }).waitFor();
    expect(
      await report
        .getByLabel('Plats')
        .locator('option', { hasText: 'Lillängsparken vid hamnen' })
        .count(),
    ).toBe(1);
  });

  it('registers a place once when the answer was lost and the coordinator presses again', async () => {
    const page = await signedIn(coordinator, '/platser');
    await page.getByLabel('Namn').fill('Badplatsen vid Rud');
    await page.getByLabel('Typ av plats').selectOption({ label: 'Badplats' });
    await page.getByLabel('Latitud').fill('59.2801');
    await page.getByLabel('Longitud').fill('13.5102');
    await page.getByLabel('Ungefärlig').check();
    // The first answer never reaches the browser: the API stored the place, the user sees a
    // network error and presses again, with the same Idempotency-Key.
    let sent = 0;
    await page.route('**/api/places', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      sent++;
      if (sent === 1) {
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.getByRole('button', { name: 'Registrera platsen' }).click();
    await page.getByRole('alert').filter({ hasText: 'Det finns ett problem' }).waitFor();
    await page.getByRole('button', { name: 'Registrera platsen' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Badplatsen vid Rud är registrerad.' })
      .waitFor();
    expect(sent).toBe(2);
    await page.locator('tr[data-place-id="badplatsen-vid-rud"]').waitFor();
    const listed = await page.request.get(`${base()}/api/places?kind=bathing-place&limit=100`);
    const names = ((await listed.json()) as { items: { name: string }[] }).items.map((p) => p.name);
    expect(names.filter((n) => n === 'Badplatsen vid Rud')).toHaveLength(1);
  });

  it('changes a place with a reason, and asks for the reason first', async () => {
    const page = await signedIn(coordinator, '/platser');
    await page.getByRole('button', { name: 'Ändra Mörudden' }).click();
    const form = page.locator('.admin-form--change');
    await form.getByRole('heading', { name: 'Ändra Mörudden' }).waitFor();
    await expect(
      page.evaluate<string | undefined>('document.activeElement?.tagName'),
    ).resolves.toBe('H2');
    await form.getByLabel('Inmätt').check();
    await form.getByLabel('Latitud').fill('59,27052');
    await form.getByRole('button', { name: 'Spara ändringen' }).click();
    await form.getByRole('alert').filter({ hasText: 'Skriv varför platsen ändras' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await form.getByLabel('Varför ändras platsen?').fill('Positionen inmätt vid badplatsens entré');
    await form.getByRole('button', { name: 'Spara ändringen' }).click();
    await page.getByRole('status').filter({ hasText: 'Mörudden är ändrad.' }).waitFor();
    const row = page.locator('tr[data-place-id="morudden"]');
    await expect(row.textContent()).resolves.toContain('Inmätt');
    expect(await row.textContent()).toContain('59,27052');
    const place = await page.request.get(`${base()}/api/places/morudden`);
    expect(await place.json()).toMatchObject({
      version: 2,
      position: { latitude: 59.27052, precision: 'surveyed' },
    });
  });

  it('adds an EST reporter and removes it with a reason', async () => {
    const page = await signedIn(coordinator, '/est-rapportorer');
    await page.getByRole('heading', { level: 1, name: 'EST-rapportörer' }).waitFor();
    await page.getByRole('button', { name: 'Lägg till', exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Det finns ett problem' });
    await summary.waitFor();
    expect(await summary.getByRole('link').count()).toBe(2);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel('Plats', { exact: true }).selectOption({ label: 'Sörvikshamnen' });
    await page.getByLabel('Myndighet som rapporterar').selectOption({ label: 'Bostadsbolaget' });
    await page.getByRole('button', { name: 'Lägg till', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Bostadsbolaget rapporterar nu för Sörvikshamnen.' })
      .waitFor();
    const row = page.locator('tr[data-place-id="sorvikshamnen"]');
    await expect(row.textContent()).resolves.toContain('Bostadsbolaget');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'est-reporters');

    await row.getByRole('button', { name: 'Ta bort Bostadsbolaget, Sörvikshamnen' }).click();
    await row.getByRole('button', { name: 'Ta bort rapportören' }).click();
    await row
      .getByRole('alert')
      .filter({ hasText: 'Skriv varför myndigheten slutar rapportera här' })
      .waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await row
      .getByLabel('Varför slutar de rapportera här?')
      .fill('Bostadsbolaget har sålt fastigheten');
    await row.getByRole('button', { name: 'Ta bort rapportören' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Bostadsbolaget rapporterar inte längre för Sörvikshamnen.' })
      .waitFor();
    const reporters = await page.request.get(`${base()}/api/est/reporters`);
    const list = (await reporters.json()) as { placeId: string; agencies: string[] }[];
    expect(list.find((r) => r.placeId === 'sorvikshamnen')?.agencies ?? []).not.toContain(
      'housing-company',
    );
  });

  it('fits a phone 360 pixels wide: the register and the audit trail scroll their tables, not the page', async () => {
    const phone = { width: 360, height: 740 };
    for (const [user, path] of [
      [coordinator, '/platser'],
      ['demo-partnerskapsrevisor', '/granskning'],
    ] as const) {
      const page = await signedIn(user, path, phone);
      await page.locator('.data-table').waitFor();
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBe(0);
      expect(await seriousAxeViolations(page)).toEqual([]);
    }
  });
});
