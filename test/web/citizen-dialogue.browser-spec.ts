import type { Page, Request } from 'playwright-core';
import { seedActors } from '../../apps/api/src/seed/seed-step';
import { browserSuite } from '../support/browser-suite';
import { describeInBrowser, screenshot, seriousAxeViolations } from '../support/chromium';

/**
 * "Här känner jag mig otrygg" in the browser: a resident, without signing in, picks a place by
 * name with the keyboard alone (or the nearest to a phone's position, which never leaves the
 * phone) and a category; the safety coordinator brings it into the situation picture, where it
 * shows with the source citizen dialogue, or rejects it; anyone else is refused.
 */
describeInBrowser('places where residents feel unsafe, in the browser', () => {
  const { base, newPage, signedIn } = browserSuite({
    SAMVERKAN_MAP_TILE_URL: 'none',
    SAMVERKAN_CITIZEN_DIALOGUE_RATE_LIMIT: '50',
  });

  /** Presses Tab until the element with this id (or a radio of this group) has focus. */
  async function tabTo(page: Page, id: string, most = 12): Promise<void> {
    for (let presses = 0; presses < most; presses++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate<string>(
        'document.activeElement ? (document.activeElement.id || "") + "|" + (document.activeElement.getAttribute("name") || "") : ""',
      );
      if (at.split('|').includes(id)) return;
    }
    throw new Error(`Tab never reached #${id}`);
  }

  const focusedId = (page: Page) => page.evaluate<string | undefined>('document.activeElement?.id');

  async function submitted(placeId: string, category: string): Promise<void> {
    const res = await fetch(`${base()}/api/public/unsafe-places`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ placeId, category }),
    });
    expect(res.status).toBe(202);
  }

  it('takes a resident\'s "otrygg" by name with the keyboard alone, which the coordinator brings into the situation picture', async () => {
    const resident = await newPage();
    await resident.goto(`${base()}/otrygg`);
    await resident.getByRole('heading', { level: 1, name: 'Här känner jag mig otrygg' }).waitFor();
    expect(await seriousAxeViolations(resident)).toEqual([]);
    await screenshot(resident, 'unsafe-place');
    // From the top of the page on, only the keys a keyboard user presses.
    await tabTo(resident, 'place');
    await resident.keyboard.type('lillängsh');
    // Gång- och cykelvägen mot Lillängshamnen, then Lillängshamnen: the list as typed.
    await resident.getByText('2 platser visas').waitFor();
    expect(await resident.locator('input[name="placeId"]').count()).toBe(2);
    await tabTo(resident, 'placeId', 1);
    await resident.keyboard.press('ArrowDown'); // the second, which it also chooses
    await tabTo(resident, 'category');
    await resident.keyboard.press('Space'); // the first, Dålig belysning
    expect(await resident.getByLabel('Lillängshamnen', { exact: true }).isChecked()).toBe(true);
    expect(await resident.getByLabel('Dålig belysning').isChecked()).toBe(true);
    expect(await seriousAxeViolations(resident)).toEqual([]);
    await tabTo(resident, 'submit');
    await resident.keyboard.press('Enter');
    await resident
      .getByRole('heading', { level: 1, name: 'Tack! Vi har tagit emot det' })
      .waitFor();
    const receipt = (await resident.locator('main').textContent()) ?? '';
    expect(receipt).toContain('Du känner dig otrygg vid Lillängshamnen: Dålig belysning.');
    expect(receipt).toContain('Vi sparar ingenting om dig');
    expect(receipt).toContain('tas det bort efter 30 dagar');
    expect(await seriousAxeViolations(resident)).toEqual([]);

    const coordinator = await signedIn(seedActors.safetyCoordinator.userId, '/medborgardialog');
    const group = coordinator.locator('[data-group="lillangshamnen/poor-lighting"]');
    await group.waitFor();
    expect(await group.textContent()).toContain('Dålig belysning · 1 anmälan');
    expect(await seriousAxeViolations(coordinator)).toEqual([]);
    await screenshot(coordinator, 'citizen-dialogue');
    await group.getByRole('button', { name: /Ta med i lägesbilden/ }).click();
    const dialog = coordinator.getByRole('dialog', { name: /Lillängshamnen, Dålig belysning/ });
    await dialog.waitFor();
    await dialog.getByLabel('Skadegörelse och inbrott').waitFor();
    expect(await dialog.getByLabel('Vad har ni sett?').inputValue()).toContain(
      'Invånare har anmält att de känner sig otrygga vid Lillängshamnen. Skäl: dålig belysning.',
    );
    expect(await seriousAxeViolations(coordinator)).toEqual([]);
    await screenshot(coordinator, 'citizen-dialogue-accept');
    // Sent without what only the coordinator can judge: the error summary, in the dialog.
    await dialog.getByRole('button', { name: 'Ta med i lägesbilden' }).click();
    const summary = dialog.getByRole('alert').filter({ hasText: 'Det finns ett problem' });
    await summary.waitFor();
    expect(await summary.getByRole('link').count()).toBe(3);
    await expect(
      coordinator.evaluate<string | undefined>('document.activeElement?.className'),
    ).resolves.toBe('error-summary');
    await summary.getByRole('link', { name: /Utveckling/ }).click();
    await expect(focusedId(coordinator)).resolves.toBe('trend');
    expect(await seriousAxeViolations(coordinator)).toEqual([]);
    await dialog.getByLabel('Skadegörelse och inbrott').check();
    await dialog.getByLabel('Oförändrad').check();
    await dialog.getByLabel('Medel').check();
    await dialog.getByRole('button', { name: 'Ta med i lägesbilden' }).click();
    await coordinator.getByText('Lillängshamnen finns nu i lägesbilden.').waitFor();
    expect(await coordinator.locator('[data-group="lillangshamnen/poor-lighting"]').count()).toBe(
      0,
    );

    await coordinator.getByRole('link', { name: 'Öppna lägesbilden' }).click();
    const report = coordinator.locator('.report', {
      hasText: 'Invånare har anmält att de känner sig otrygga vid Lillängshamnen',
    });
    await report.waitFor();
    expect(await report.textContent()).toContain('Medborgardialog');
    expect(await report.textContent()).toContain('Kommunen rapporterade');
  });

  it('shows what is missing in an error summary that takes focus and links to each question', async () => {
    const resident = await newPage();
    await resident.goto(`${base()}/otrygg`);
    await resident.getByRole('button', { name: 'Skicka' }).click();
    const summary = resident.getByRole('alert').filter({ hasText: 'Det finns ett problem' });
    await summary.waitFor();
    await expect(
      resident.evaluate<string | undefined>('document.activeElement?.className'),
    ).resolves.toBe('error-summary');
    expect(await summary.getByRole('link').count()).toBe(2);
    await summary.getByRole('link', { name: /Var känner du dig otrygg\?: Välj en plats/ }).click();
    await expect(focusedId(resident)).resolves.toBe('place');
    await summary.getByRole('link', { name: /Vad gäller det\?: Välj vad det gäller/ }).click();
    await expect(focusedId(resident)).resolves.toBe('category');
    expect(await seriousAxeViolations(resident)).toEqual([]);
    // Nothing was sent: the coordinator has nothing new.
    const coordinator = await signedIn(seedActors.safetyCoordinator.userId, '/medborgardialog');
    await coordinator.getByRole('heading', { level: 1 }).waitFor();
    expect(await coordinator.locator('[data-group^="mormoskolan/"]').count()).toBe(0);
  });

  it("chooses the place nearest the phone's position, and sends only the place", async () => {
    const phone = await newPage(
      { width: 360, height: 780 },
      { geolocation: { latitude: 59.3211, longitude: 13.4551 }, permissions: ['geolocation'] },
    );
    const sent: Request[] = [];
    phone.on('request', (r) => sent.push(r));
    await phone.goto(`${base()}/otrygg`);
    await phone.getByRole('heading', { level: 1, name: 'Här känner jag mig otrygg' }).waitFor();
    await phone.getByRole('button', { name: 'Använd min position' }).click();
    await phone.getByRole('status').filter({ hasText: 'Närmast dig: Lillängsskolan.' }).waitFor();
    expect(await phone.getByRole('radio', { name: 'Lillängsskolan' }).isChecked()).toBe(true);
    await phone.getByLabel('Stök eller ordningsstörning').check();
    expect(await seriousAxeViolations(phone)).toEqual([]);
    await screenshot(phone, 'unsafe-place-phone');
    await phone.getByRole('button', { name: 'Skicka' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Tack! Vi har tagit emot det' }).waitFor();
    const post = sent.find((r) => r.method() === 'POST' && r.url().endsWith('/unsafe-places'))!;
    expect(post.postDataJSON()).toEqual({ placeId: 'lillangsskolan', category: 'disorder' });
    for (const r of sent) {
      expect(`${r.url()} ${r.postData() ?? ''}`).not.toMatch(/59\.321|13\.455/);
    }
  });

  it('snaps a tap on the map to the nearest registered place, on the plain background', async () => {
    const phone = await newPage({ width: 360, height: 780 });
    const sent: Request[] = [];
    phone.on('request', (r) => sent.push(r));
    await phone.goto(`${base()}/otrygg`);
    const map = phone.getByRole('region', { name: /Karta över platserna/ });
    await map.waitFor();
    // No tiles are configured: the places are drawn on a plain background, and said so.
    await phone
      .getByRole('note')
      .filter({ hasText: /bakgrundskarta|karta/i })
      .first()
      .waitFor();
    const box = (await map.boundingBox())!;
    await phone.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const status = phone.getByRole('status').filter({ hasText: /^Vald plats: / });
    await status.waitFor();
    const chosen = /^Vald plats: (.+)\. Den är vald i listan\.$/.exec(
      (await status.textContent())!.trim(),
    )![1]!;
    expect(await phone.getByRole('radio', { name: chosen, exact: true }).isChecked()).toBe(true);
    expect(await seriousAxeViolations(phone)).toEqual([]);
    await phone.getByLabel('Dålig belysning').check();
    await phone.getByRole('button', { name: 'Skicka' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Tack! Vi har tagit emot det' }).waitFor();
    const post = sent.find((r) => r.method() === 'POST' && r.url().endsWith('/unsafe-places'))!;
    // The place only: where the tap was never leaves the phone.
    expect(Object.keys(post.postDataJSON() as object).sort()).toEqual(['category', 'placeId']);
    expect(sent.every((r) => r.url().startsWith(base()))).toBe(true);
  });

  it('rejects a group after a confirmation, and refuses anyone but the coordinator', async () => {
    await submitted('mormoskolan', 'drugs');
    await submitted('mormoskolan', 'drugs');
    const police = await signedIn(seedActors.policeOfficer.userId, '/medborgardialog');
    await police.getByRole('alert').filter({ hasText: 'behörighet' }).waitFor();
    expect(await police.locator('main').textContent()).not.toContain('Mörmoskolan');

    const coordinator = await signedIn(seedActors.safetyCoordinator.userId, '/medborgardialog');
    const group = coordinator.locator('[data-group="mormoskolan/drugs"]');
    await group.waitFor();
    expect(await group.textContent()).toContain('Narkotika · 2 anmälningar');
    await group.getByRole('button', { name: /Avvisa/ }).click();
    const dialog = coordinator.getByRole('dialog', { name: 'Avvisa anmälningarna?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('2 anmälningar om Mörmoskolan (Narkotika)');
    expect(await seriousAxeViolations(coordinator)).toEqual([]);
    // Escape closes it and nothing happens.
    await coordinator.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await group.count()).toBe(1);
    await group.getByRole('button', { name: /Avvisa/ }).click();
    await dialog.getByRole('button', { name: 'Ja, avvisa' }).click();
    await coordinator.getByText('Anmälningarna om Mörmoskolan är borttagna.').waitFor();
    expect(await coordinator.locator('[data-group="mormoskolan/drugs"]').count()).toBe(0);
  });
});
