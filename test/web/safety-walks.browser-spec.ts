import type { Page } from 'playwright-core';
import { seedActors } from '../../apps/api/src/seed/seed-step';
import { browserSuite } from '../support/browser-suite';
import { describeInBrowser, screenshot, seriousAxeViolations } from '../support/chromium';

/** Lillängshamnen's registered position, and a point some twenty metres from it. */
const AT_THE_HARBOUR = { latitude: 59.3216, longitude: 13.4582 };
const PHONE = { width: 390, height: 844 };

/**
 * Safety walks and their findings in the browser: a walk planned with the keyboard alone and
 * recorded once though its answer was lost, a finding recorded on a phone at the place the
 * phone's position picks, and a finding followed to closure by the party it is given to (and
 * refused to one it is not).
 */
describeInBrowser('safety walks and findings in the browser', () => {
  const { base, newPage, signIn, signedIn } = browserSuite();

  /** The session's CSRF token, for a write through the API as the signed-in user. */
  async function post(page: Page, path: string, body: unknown): Promise<number> {
    const session = await page.request.get(`${base()}/api/auth/session`);
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const response = await page.request.post(`${base()}/api${path}`, {
      data: body,
      headers: { 'X-CSRF-Token': csrfToken },
    });
    return response.status();
  }

  async function focused(page: Page): Promise<string> {
    return page.evaluate<string>('document.activeElement?.id || document.activeElement?.className');
  }

  /** Presses Tab until the element with this id has focus. */
  async function tabTo(page: Page, id: string): Promise<void> {
    for (let presses = 0; presses < 40; presses++) {
      await page.keyboard.press('Tab');
      if ((await focused(page)) === id) return;
    }
    throw new Error(`Tab never reached #${id}`);
  }

  it('plans a walk with the keyboard alone, after the error summary, and records it once though the answer was lost', async () => {
    const page = await signedIn(seedActors.safetyCoordinator.userId);
    await page.getByRole('navigation').getByRole('link', { name: 'Trygghetsvandringar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Trygghetsvandringar' }).waitFor();
    await page.locator('.walk-card').first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'safety-walks');

    // Sent empty: the summary takes focus and links to each field.
    await page.getByRole('button', { name: 'Planera vandringen' }).focus();
    await page.keyboard.press('Enter');
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await focused(page)).toBe('error-summary');
    await expect(summary.textContent()).resolves.toContain('Välj området som vandringen går i');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await summary.getByRole('link', { name: /Område/ }).focus();
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('areaId');

    // From here on only the keys a keyboard user presses.
    await page.keyboard.type('Skoghall c');
    await page.keyboard.press('Tab'); // the first place on the route: the area itself
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab'); // then the others by name: the path first
    await page.keyboard.press('Space');
    while ((await focused(page)) !== 'plannedOn') await page.keyboard.press('Tab');
    await page.keyboard.type('2027-03-17');
    await page.keyboard.press('Tab'); // the first invited party
    await page.keyboard.press('Space');
    expect(await page.locator('#route').isChecked()).toBe(true);
    expect(await page.getByLabel('Gång- och cykelvägen mot Lillängshamnen').isChecked()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The first answer never reaches the browser: the API has the walk, the user sends again.
    let sent = 0;
    await page.route('**/api/safety-walks', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      sent++;
      if (sent === 1) {
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    while ((await focused(page)) !== 'plan-submit') await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await summary.filter({ hasText: 'Tjänsten gick inte att nå' }).waitFor();
    await page.locator('#plan-submit').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Vandringen är planerad.' }).waitFor();
    expect(sent).toBe(2);
    await page.getByRole('link', { name: 'Öppna vandringen' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Trygghetsvandring: Skoghall centrum' })
      .waitFor();
    const walkId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const ordered = await page.locator('.walk-route li').allTextContents();
    expect(ordered).toEqual(['Skoghall centrum', 'Gång- och cykelvägen mot Lillängshamnen']);
    // Through the API: one walk planned for that day, not two.
    const planned = async () => {
      const list = await page.request.get(
        `${base()}/api/safety-walks?from=2027-03-17&to=2027-03-17&limit=100`,
      );
      return ((await list.json()) as { items: { walkId: string }[] }).items.map((w) => w.walkId);
    };
    // The list is a read model: wait until it has caught up with the walk.
    for (let tries = 0; tries < 50 && (await planned()).length === 0; tries++) {
      await page.waitForTimeout(100);
    }
    expect(await planned()).toEqual([walkId]);
  });

  it('records a finding on a phone at the place nearest its position, and the walk with it', async () => {
    const page = await newPage(PHONE, {
      geolocation: AT_THE_HARBOUR,
      permissions: ['geolocation'],
    });
    await signIn(page, seedActors.municipalPoliceOfficer.userId, '/trygghetsvandringar');
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(
      new Date(),
    );
    expect(
      await post(page, '/safety-walks', {
        walkId: 'kvallsvandring-hamnen',
        areaId: 'skoghall-centrum',
        route: ['skoghall-centrum', 'lillangshamnen'],
        plannedOn: today,
        invitedParties: ['housing-company'],
      }),
    ).toBe(201);
    const sent: string[] = [];
    page.on('request', (r) => sent.push(`${r.url()} ${r.postData() ?? ''}`));
    await page.goto(`${base()}/trygghetsvandringar/kvallsvandring-hamnen`);
    await page.getByRole('heading', { level: 2, name: 'Registrera vandringen' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Använd min position' }).click();
    await page.getByText('Närmaste registrerade plats är vald: Lillängshamnen').waitFor();
    expect(await page.locator('#new-placeId').inputValue()).toBe('lillangshamnen');
    await page.getByLabel('Dålig belysning').check();
    await page.getByLabel('Vad gör platsen otrygg?').fill('Belysningen vid bryggan är släckt.');
    await page.getByLabel('Ansvarig för att åtgärda').selectOption({ label: 'Kommunen' });
    await page.getByRole('button', { name: 'Lägg till bristen' }).click();
    await page.getByRole('heading', { name: 'Brister att registrera: 1' }).waitFor();
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'safety-walk-finding-phone');

    await page.getByRole('button', { name: 'Registrera vandringen' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Vandringen och dess brister är registrerade' })
      .waitFor();
    await page
      .getByRole('heading', { level: 3, name: 'Lillängshamnen: Dålig belysning' })
      .waitFor();
    const walk = await page.request.get(`${base()}/api/safety-walks/kvallsvandring-hamnen`);
    const recorded = (await walk.json()) as {
      status: string;
      participants: string[];
      findings: { placeIds: string[]; kind: string; responsibleParty: string }[];
    };
    expect(recorded.status).toBe('conducted');
    expect(recorded.participants).toEqual(['police']);
    expect(recorded.findings).toEqual([
      expect.objectContaining({
        placeIds: ['lillangshamnen'],
        kind: 'poor-lighting',
        responsibleParty: 'municipality',
      }),
    ]);
    // The phone's position was used to pick the place, and never sent.
    expect(sent.filter((s) => s.includes('59.32') || s.includes('13.458'))).toEqual([]);
  });

  it('records a walk and its finding with the keyboard alone, confirming a number that is no identity number', async () => {
    const page = await signedIn(seedActors.safetyCoordinator.userId, '/trygghetsvandringar');
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(
      new Date(),
    );
    expect(
      await post(page, '/safety-walks', {
        walkId: 'vandring-lillangen',
        areaId: 'skoghall-centrum',
        route: ['lillangshamnen'],
        plannedOn: today,
        invitedParties: ['housing-company'],
      }),
    ).toBe(201);
    await page.goto(`${base()}/trygghetsvandringar/vandring-lillangen`);
    await page.locator('#new-placeId').focus();
    await page.keyboard.type('Lillängsh');
    await tabTo(page, 'new-kind');
    await page.keyboard.press('ArrowDown'); // Igenvuxen växtlighet
    await tabTo(page, 'new-description');
    await page.keyboard.type('Buskar skymmer stigen, se felanmälan 650101-1231.');
    await tabTo(page, 'new-responsibleParty');
    await page.keyboard.type('Bostads');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // Lägg till bristen
    await page.getByRole('heading', { name: 'Brister att registrera: 1' }).waitFor();
    await tabTo(page, 'conduct-submit');
    await page.keyboard.press('Enter');
    // The number only looks like a personal identity number: the author is asked about it.
    await page.getByText('Texten innehåller något som liknar ett personnummer').waitFor();
    await expect(page.locator('#finding-0').textContent()).resolves.toContain('Kontrollera texten');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await tabTo(page, 'confirmPersonalData');
    await page.keyboard.press('Space');
    await tabTo(page, 'conduct-submit');
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: 'Vandringen och dess brister är registrerade' })
      .waitFor();
    const walk = await page.request.get(`${base()}/api/safety-walks/vandring-lillangen`);
    expect(((await walk.json()) as { findings: unknown[] }).findings).toEqual([
      expect.objectContaining({
        placeIds: ['lillangshamnen'],
        kind: 'overgrown-vegetation',
        responsibleParty: 'housing-company',
      }),
    ]);
  });

  it('says so when the phone may not share its position, and the place is chosen from the list', async () => {
    const page = await newPage(PHONE, { permissions: [] });
    await signIn(page, seedActors.safetyCoordinator.userId, '/brister');
    await page
      .getByRole('heading', { level: 2, name: 'Rapportera en brist utanför en vandring' })
      .waitFor();
    await page.getByRole('button', { name: 'Använd min position' }).click();
    await page.getByText('Välj platsen i listan').waitFor();
    expect(await page.locator('#placeId').inputValue()).toBe('');
  });

  it('follows a finding to closure by the party it is given to, and refuses it to another', async () => {
    // The housing company reports a finding for the municipality, from the findings page.
    const housing = await signedIn(seedActors.housing.userId, '/brister');
    await housing
      .getByRole('heading', { level: 2, name: 'Rapportera en brist utanför en vandring' })
      .waitFor();
    await housing.getByRole('button', { name: 'Rapportera bristen' }).click();
    await housing.locator('.error-summary').waitFor();
    expect(await housing.locator('.error-summary li').count()).toBe(4);
    expect(await seriousAxeViolations(housing)).toEqual([]);
    await housing.getByLabel('Plats').first().selectOption({ label: 'Sörvikshamnen' });
    await housing.getByLabel('Skadegörelse').check();
    await housing
      .getByLabel('Vad gör platsen otrygg?')
      .fill('Sönderslaget staket vid båtliften, felanmälan 650101-1231.');
    await housing.getByLabel('Ansvarig för att åtgärda').selectOption({ label: 'Kommunen' });
    await housing.getByRole('button', { name: 'Rapportera bristen' }).click();
    // What only looks like a personal identity number is asked about, not refused outright.
    await housing.getByText('Texten innehåller något som liknar ett personnummer').waitFor();
    expect(await seriousAxeViolations(housing)).toEqual([]);
    await housing.getByLabel('Det är inte ett personnummer').check();
    await housing.getByRole('button', { name: 'Rapportera bristen' }).click();
    await housing.getByRole('status').filter({ hasText: 'Bristen är rapporterad' }).waitFor();
    await housing.getByRole('link', { name: 'Öppna bristen' }).click();
    await housing.getByRole('heading', { level: 1, name: 'Sörvikshamnen: Skadegörelse' }).waitFor();
    const findingId = decodeURIComponent(new URL(housing.url()).pathname.split('/').pop()!);

    // The police may read it but not close it: neither on the page nor through the API.
    const police = await signedIn(
      seedActors.policeOfficer.userId,
      `/brister/${encodeURIComponent(findingId)}`,
    );
    await police.getByText('Bristen är Kommunens att åtgärda').waitFor();
    expect(await police.getByRole('button', { name: 'Markera som åtgärdad' }).count()).toBe(0);
    expect(
      await post(police, `/findings/${findingId}/addressed`, {
        addressedOn: '2026-01-01',
        action: 'Lagat',
      }),
    ).toBe(403);

    // The municipality finds it among its open findings and closes it, with the keyboard.
    const municipality = await signedIn(seedActors.safetyCoordinator.userId, '/brister');
    await municipality
      .getByRole('heading', { level: 2, name: 'Öppna brister för Kommunen' })
      .waitFor();
    await municipality.getByRole('link', { name: 'Sörvikshamnen: Skadegörelse' }).waitFor();
    expect(await seriousAxeViolations(municipality)).toEqual([]);
    await screenshot(municipality, 'findings');
    await municipality.getByRole('link', { name: 'Sörvikshamnen: Skadegörelse' }).click();
    await municipality
      .getByRole('heading', { level: 1, name: 'Sörvikshamnen: Skadegörelse' })
      .waitFor();
    // The dialog to hand it on: opened, checked, and left.
    await municipality.getByRole('button', { name: 'Ge bristen till en annan part' }).click();
    await municipality.getByRole('region', { name: 'Ge bristen till en annan part' }).waitFor();
    expect(await seriousAxeViolations(municipality)).toEqual([]);
    await municipality.getByRole('button', { name: 'Avbryt' }).click();

    await municipality.locator('#action').focus();
    await municipality.keyboard.type('Staketet är lagat.');
    await municipality.keyboard.press('Tab');
    await municipality.keyboard.press('Enter');
    await municipality
      .getByRole('status')
      .filter({ hasText: 'Bristen är markerad som åtgärdad' })
      .waitFor();
    await municipality.getByText('Åtgärdad', { exact: true }).waitFor();
    await expect(municipality.locator('.history').textContent()).resolves.toContain(
      'Staketet är lagat.',
    );
    expect(await seriousAxeViolations(municipality)).toEqual([]);
    await screenshot(municipality, 'finding');
    const read = await housing.request.get(`${base()}/api/findings/${findingId}`);
    expect(((await read.json()) as { status: string; action: string }).status).toBe('addressed');
  });
});
