import type { Page } from 'playwright-core';
import { seedActors } from '../../apps/api/src/seed/seed-step';
import { browserSuite } from '../support/browser-suite';
import { describeInBrowser, screenshot, seriousAxeViolations } from '../support/chromium';

/** The Swedish calendar day, as the API dates things, `days` from today. */
function swedishDay(days = 0): string {
  const at = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/**
 * The situation picture as a map: places drawn on a plain background (no test loads tiles, and
 * none may leave the app's origin), approximate positions drawn as such, the selection kept in
 * the URL, the reports behind a place, the picture at an earlier time, what is new since the
 * last confirmed meeting, and the map's library loaded only where a map is shown.
 */
describeInBrowser('the situation picture as a map in the browser', () => {
  const { base, signedIn, newPage, signIn } = browserSuite({ SAMVERKAN_MAP_TILE_URL: 'none' });

  /** Every request the page makes that leaves the app's origin (there must be none). */
  function offOrigin(page: Page): string[] {
    const away: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(base()) && !url.startsWith('data:')) away.push(url);
    });
    return away;
  }

  /** An API call from the signed-in page, with its session cookie and CSRF token. */
  async function call(page: Page, method: string, path: string, body?: unknown): Promise<unknown> {
    return page.evaluate(
      async ([m, p, b]) => {
        const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
        const res = await fetch(`/api${p}`, {
          method: m,
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
          body: b === undefined ? undefined : JSON.stringify(b),
        });
        if (!res.ok) throw new Error(`${m} ${p}: ${res.status} ${await res.text()}`);
        return res.json();
      },
      [method, path, body] as const,
    );
  }

  /** An open report for the current four weeks, from the page's user. */
  async function report(page: Page, placeId: string, problemArea: string, description: string) {
    await call(page, 'POST', '/situation-reports', {
      placeIds: [placeId],
      problemArea,
      period: { from: swedishDay(-7), to: swedishDay() },
      trend: 'rising',
      severity: 'medium',
      description,
      source: 'own-observation',
      sensitivity: 'open',
      sharedWith: [],
    });
  }

  /** The places in the list and on the map, by id, in the list's order and sorted. */
  const places = (page: Page) =>
    page.evaluate<string[]>(
      '[...document.querySelectorAll(".situation-place")].map((e) => e.dataset.placeId)',
    );
  const markers = (page: Page) =>
    page.evaluate<string[]>(
      '[...document.querySelectorAll(".place-marker[data-place-id]")].map((e) => e.dataset.placeId).sort()',
    );

  it('draws the places on a plain background, approximate ones as such, and shows the reports behind one', async () => {
    const school = await signedIn(seedActors.principal.userId, '/rapportera');
    await report(
      school,
      'mormoskolan',
      'vandalism-burglary',
      'Sönderslagen belysning vid Mörmoskolan.',
    );
    const page = await newPage();
    const away = offOrigin(page);
    await signIn(page, seedActors.policeOfficer.userId, '/lagesbild');
    await page.getByText('Bakgrundskartan är inte tillgänglig').waitFor();
    await page.locator('.place-marker[data-place-id="mormoskolan"]').waitFor();
    expect(await page.locator('.place-map--plain').count()).toBe(1);
    expect(await page.locator('.leaflet-tile').count()).toBe(0);
    // Every seeded place is placed by hand: a dashed ring around each, and said in the list.
    const drawn = await markers(page);
    expect(drawn.length).toBeGreaterThanOrEqual(3);
    expect(await page.locator('path.place-map__approximate').count()).toBe(drawn.length);
    expect(
      await page.locator('path.place-map__approximate').first().getAttribute('stroke-dasharray'),
    ).toBe('6 6');
    expect((await places(page)).sort()).toEqual(drawn);
    const mormo = page.locator('.situation-place[data-place-id="mormoskolan"]');
    expect(await mormo.textContent()).toContain('ungefärligt läge');
    expect(await mormo.textContent()).toContain('Rapporter: 1, varav aktuella: 1');
    // Colour with a count and words: a current, rising report is raised (▲, "1!").
    expect(await page.locator('.place-marker[data-place-id="mormoskolan"]').textContent()).toBe(
      '1!',
    );
    expect(await mormo.textContent()).toContain('Förhöjt');

    await mormo.getByRole('button').click();
    await page.getByRole('heading', { level: 2, name: 'Rapporter vid Mörmoskolan (1)' }).waitFor();
    expect(await page.locator('.report').count()).toBe(1);
    expect(await page.locator('.report').textContent()).toContain('Sönderslagen belysning');
    expect(await mormo.getByRole('button').getAttribute('aria-pressed')).toBe('true');
    expect(page.url()).toContain('plats=mormoskolan');
    // The marker on the map selects as well: another place, its reports.
    await page.locator('.place-marker[data-place-id="lillangshamnen"]').click();
    await page.getByRole('heading', { level: 2, name: /Rapporter vid Lillängshamnen/ }).waitFor();
    expect(await page.locator('.report').first().textContent()).toContain('gästhamnen');
    await page.locator('.place-marker[data-place-id="mormoskolan"]').click();
    await page.getByRole('heading', { level: 2, name: /Rapporter vid Mörmoskolan/ }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'situation-map');

    const phone = await newPage({ width: 390, height: 844 });
    const awayOnPhone = offOrigin(phone);
    await signIn(phone, seedActors.policeOfficer.userId, '/lagesbild');
    await phone.goto(`${base()}/lagesbild?plats=mormoskolan`);
    await phone.locator('.place-marker[data-place-id="mormoskolan"]').waitFor();
    await phone.getByRole('heading', { level: 2, name: /Rapporter vid Mörmoskolan/ }).waitFor();
    // On a phone the list comes below the map.
    const mapBox = await phone.locator('.place-map__canvas').boundingBox();
    const listBox = await phone.locator('.situation-places').boundingBox();
    expect(listBox!.y).toBeGreaterThan(mapBox!.y + mapBox!.height);
    expect(await seriousAxeViolations(phone)).toEqual([]);
    await screenshot(phone, 'situation-map-phone');
    expect([...away, ...awayOnPhone]).toEqual([]);
  });

  it('narrows the map and the list by a selection that a reload keeps', async () => {
    const page = await signedIn(seedActors.policeOfficer.userId, '/lagesbild');
    await page.locator('.place-marker[data-place-id="skoghall-centrum"]').waitFor();
    const before = await markers(page);
    expect(before).toContain('skoghall-centrum'); // alcohol and drugs, by the police
    await page.getByLabel('Problemområde').selectOption({ label: 'Skadegörelse och inbrott' });
    await page.getByRole('button', { name: 'Visa urvalet' }).click();
    await page.waitForURL(/problem=vandalism-burglary/);
    const after = await markers(page);
    expect(after).not.toContain('skoghall-centrum');
    expect(after).toContain('lillangshamnen');
    expect((await places(page)).sort()).toEqual(after);
    expect(await page.locator('.report', { hasText: 'narkotika' }).count()).toBe(0);
    expect(await page.getByText('EST-siffror visas när varken').count()).toBe(1);

    await page.reload();
    await page.locator('.place-marker[data-place-id="lillangshamnen"]').waitFor();
    expect(await page.getByLabel('Problemområde').inputValue()).toBe('vandalism-burglary');
    expect(await markers(page)).toEqual(after);
    expect((await places(page)).sort()).toEqual(after);
    // A period nobody reported on: nothing.
    await page.getByLabel('Period från').fill('2019-01-01');
    await page.getByLabel('Period till').fill('2019-12-31');
    await page.getByRole('button', { name: 'Visa urvalet' }).click();
    await page.getByText('Inga platser med rapporter i urvalet.').waitFor();
    expect(await markers(page)).toEqual([]);
    // A period that ends before it starts: the error summary, at the field too.
    await page.getByLabel('Period från').fill('2024-10-01');
    await page.getByLabel('Period till').fill('2024-09-01');
    await page.getByRole('button', { name: 'Visa urvalet' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Perioden kan inte sluta innan den börjar' })
      .waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Rensa urvalet' }).click();
    await page.locator('.place-marker[data-place-id="skoghall-centrum"]').waitFor();
    expect(page.url()).toBe(`${base()}/lagesbild`);
  });

  it('is used with the keyboard alone: the selection, then a place in the list', async () => {
    const page = await signedIn(seedActors.policeOfficer.userId, '/lagesbild');
    await page.locator('.situation-place').first().waitFor();
    await page.getByRole('button', { name: 'Visa begränsade' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('problemArea');
    await page.keyboard.type('Alkohol'); // a select picks the option typed
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('agency');
    await page.keyboard.type('Polisen');
    for (const id of ['periodFrom', 'periodTo', 'applyFilters']) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement.id')).toBe(id);
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(/myndighet=police/);
    expect(page.url()).toContain('problem=alcohol-drug-crime');
    // On through the map (its markers are buttons too) to the list of places.
    let presses = 0;
    while (
      !(await page.evaluate<boolean>(
        'document.activeElement?.classList.contains("situation-place__button") ?? false',
      ))
    ) {
      await page.keyboard.press('Tab');
      if (++presses > 40) throw new Error('Tab never reached the list of places');
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: /Rapporter vid Skoghall centrum/ }).waitFor();
    expect(await page.locator('.report').count()).toBeGreaterThan(0);
    for (const text of await page.locator('.report').allTextContents()) {
      expect(text).toContain('Polisen rapporterade');
    }
    await page.keyboard.press('Space'); // the same button again: every place
    await page.getByRole('heading', { level: 2, name: /^Rapporter \(\d+\)$/ }).waitFor();
  });

  it('shows the picture as it was at an earlier time, without what came later, and pauses live updates', async () => {
    const page = await signedIn(seedActors.policeOfficer.userId, '/lagesbild');
    await page.locator('.situation-place').first().waitFor();
    const [day, time] = await page.evaluate<[string, string]>(() => {
      const now = new Date();
      const two = (n: number) => String(n).padStart(2, '0');
      return [
        `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`,
        `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}`,
      ];
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const school = await signedIn(seedActors.principal.userId, '/rapportera');
    const later = `Nytt klotter vid Götetorpsskolan (${Date.now()}).`;
    await report(school, 'gotetorpsskolan', 'vandalism-burglary', later);
    await page.locator('.report', { hasText: later }).waitFor(); // live, in the present

    await page.getByLabel('Datum', { exact: true }).fill(day);
    await page.getByLabel('Klockslag').fill(time);
    await page.getByRole('button', { name: 'Visa läget då' }).click();
    await page.getByText('Du ser ett tidigare läge').waitFor();
    await page.locator('.report', { hasText: 'gästhamnen' }).waitFor();
    expect(await page.locator('.report', { hasText: later }).count()).toBe(0);
    expect(await markers(page)).not.toContain('gotetorpsskolan');
    expect(page.url()).toContain(`per=${day}`);
    // A reload keeps the time; live updates pause: a report now stays out of the picture.
    await page.reload();
    await page.getByText('Du ser ett tidigare läge').waitFor();
    await page.locator('.report', { hasText: 'gästhamnen' }).waitFor();
    const whilePast = `Skadad grind vid Götetorpsskolan (${Date.now()}).`;
    await report(school, 'gotetorpsskolan', 'vandalism-burglary', whilePast);
    await page.getByText('Det har kommit nya rapporter eller ändringar').waitFor();
    expect(await page.locator('.report', { hasText: whilePast }).count()).toBe(0);
    expect(await page.locator('.report', { hasText: later }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Tillbaka till nuläget' }).click();
    await page.locator('.report', { hasText: whilePast }).waitFor();
    expect(await page.getByText('Du ser ett tidigare läge').count()).toBe(0);
    // A day not yet come is refused at the field.
    await page.getByLabel('Datum', { exact: true }).fill(swedishDay(3));
    await page.getByLabel('Klockslag').fill('');
    await page.getByRole('button', { name: 'Visa läget då' }).click();
    await page.getByRole('alert').filter({ hasText: 'Välj ett datum som har varit' }).waitFor();
  });

  it('marks what is new since the picture was last confirmed at a meeting', async () => {
    const coordinator = await signedIn(seedActors.safetyCoordinator.userId, '/lagesbild');
    await coordinator.locator('.situation-place').first().waitFor();
    // The seeded meeting confirmed the four autumn reports: the ones reported since are new.
    expect(
      await coordinator.getByRole('heading', { name: 'Sedan mötet 15 oktober 2024' }).count(),
    ).toBe(1);
    expect(
      await coordinator
        .locator('.report[data-report-id="2024-09-police-centre"]')
        .getAttribute('data-since-meeting'),
    ).toBeNull();
    // Today's meeting confirms everything reported so far.
    const picture = (await call(coordinator, 'GET', '/situation-picture')) as {
      areas: { reports: { reportId: string }[] }[];
    };
    const reportIds = picture.areas.flatMap((a) => a.reports.map((r) => r.reportId));
    await call(coordinator, 'POST', '/situation-picture/confirmations', {
      confirmationId: `meeting-${Date.now()}`,
      meetingOn: swedishDay(),
      period: { from: swedishDay(-30), to: swedishDay() },
      reportIds,
      summary: 'Skadegörelse vid skolorna ökar; fler väktarronder.',
    });
    await coordinator.getByText('Inget nytt eller ändrat sedan lägesbilden bekräftades.').waitFor();
    expect(await coordinator.locator('.report[data-since-meeting]').count()).toBe(0);

    const school = await signedIn(seedActors.principal.userId, '/rapportera');
    const text = `Inbrottsförsök i förrådet vid Bärstadsskolan (${Date.now()}).`;
    await report(school, 'barstadsskolan', 'vandalism-burglary', text);
    const added = coordinator.locator('.report', { hasText: text });
    await added.waitFor();
    expect(await added.getAttribute('data-since-meeting')).toBe('new');
    expect(await added.textContent()).toContain('Ny sedan mötet');
    expect(await coordinator.locator('.report[data-since-meeting]').count()).toBe(1);
    await coordinator
      .getByText('Sedan lägesbilden bekräftades: nya rapporter 1, ändrade rapporter 0.', {
        exact: false,
      })
      .waitFor();
    expect(await seriousAxeViolations(coordinator)).toEqual([]);
  });

  it('loads the map library only where a map is shown, not on the start page', async () => {
    const page = await newPage();
    const scripts: string[] = [];
    page.on('request', (request) => scripts.push(request.url()));
    await signIn(page, seedActors.policeOfficer.userId, '/');
    await page.waitForLoadState('networkidle');
    expect(scripts.filter((url) => /leaflet/i.test(url))).toEqual([]);
    const leaflet = page.waitForRequest(/\/assets\/leaflet-src-[^/]+\.js$/);
    await page.getByRole('navigation').getByRole('link', { name: 'Lägesbild' }).click();
    await leaflet;
    await page.locator('.place-marker').first().waitFor();
  });
});
