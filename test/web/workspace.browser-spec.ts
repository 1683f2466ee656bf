import { seedActors } from '../../apps/api/src/seed/seed-step';
import { browserSuite } from '../support/browser-suite';
import { describeInBrowser, screenshot, seriousAxeViolations } from '../support/chromium';
import { postOk } from '../support/web-session';

/**
 * The workspace as its users meet it, in Chromium against the API on the seeded embedded store:
 * signing in through the development provider, the start page, the citizen promise and its
 * report, the language, the keyboard, and accessibility on every page.
 */
describeInBrowser('the web workspace, on the seeded embedded store', () => {
  const { base, newPage, signIn } = browserSuite();

  it('shows a signed-out visitor the sign-in page, accessible and keyboard-first', async () => {
    const page = await newPage();
    await page.goto(`${base()}/medborgarlofte`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Logga in');
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    // The first Tab lands on the skip link, which takes focus to the page's main content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe(
      'Hoppa till innehållet',
    );
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('main');
    // Each provider the partnership trusts, returning to the page asked for.
    const href = await page
      .getByRole('link', { name: /Utvecklingsinloggning/ })
      .getAttribute('href');
    expect(href).toBe('/api/auth/login?provider=utveckling&returnTo=%2Fmedborgarlofte');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
  });

  it('signs a principal in and shows their worklist, in their role and agency', async () => {
    const page = await newPage();
    await signIn(page, seedActors.principal.userId);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Start');
    await expect(page.locator('.acting-as').textContent()).resolves.toContain(
      'Du arbetar som rektor, Skolan',
    );
    for (const heading of ['Brister som din myndighet ska åtgärda', 'Uppföljningar av samtal']) {
      await expect(page.getByRole('heading', { level: 2, name: heading }).count()).resolves.toBe(1);
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'start');
  });

  it('shows the citizen promise with its commitments, and downloads the board report as PDF', async () => {
    const page = await newPage();
    await signIn(page, seedActors.municipalPoliceOfficer.userId);
    await page.getByRole('navigation').getByRole('link', { name: 'Medborgarlöfte' }).click();
    await page.getByRole('heading', { level: 1, name: /Polisens medborgarlöfte/ }).waitFor();
    // Navigation moves focus to the new page's heading, as a page load would for a screen reader.
    await expect(
      page.evaluate<string | undefined>('document.activeElement?.tagName'),
    ).resolves.toBe('H1');
    const commitments = page.locator('.commitment');
    expect(await commitments.count()).toBeGreaterThanOrEqual(10);
    expect(
      await page
        .getByText('Trafikkontroller kopplat alkohol och droger samt mopeder och A-traktorer.')
        .count(),
    ).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'promise');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Ladda ner som PDF' }).click(),
    ]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A reload of the app path opens the same page, not the API's or a blank one.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Polisens medborgarlöfte/ }).waitFor();
  });

  it('switches to English and back, with the language attribute following', async () => {
    const page = await newPage();
    await signIn(page, seedActors.youthWorker.userId);
    await page.getByRole('button', { name: 'Byt språk till English' }).click();
    await page.getByRole('heading', { level: 2, name: 'Talk follow-ups' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.locator('.acting-as').textContent()).resolves.toContain(
      'You are working as youth worker, Leisure services',
    );
    await page.reload();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('button', { name: 'Change the language to Svenska' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
  });

  it('fits a phone: the start page without sideways scrolling', async () => {
    const page = await newPage({ width: 375, height: 740 });
    await signIn(page, seedActors.policeOfficer.userId);
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'start-phone');
  });

  it('shows residents what was promised and done at /invanare, without sign-in and on a phone', async () => {
    const page = await newPage({ width: 375, height: 740 });
    const response = await page.goto(`${base()}/invanare`);
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Vi lovade – vi gjorde' }).waitFor();
    const traffic = page
      .locator('.commitment')
      .filter({ hasText: 'Trafikkontroller kopplat alkohol och droger' });
    await traffic.getByText(/gånger mellan/).waitFor();
    expect(await traffic.textContent()).toMatch(/Trafikkontroll \(\d+\)/);
    expect(await traffic.textContent()).toContain('Bymiljövägen');
    // Nothing of the signed-in workspace: no menu, no sign-out; no free text of an activity.
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await page.getByText('Kontroll av alkohol, droger').count()).toBe(0);
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'residents-phone');
  });

  it("lets the school's user administrator grant a role and revoke it with a reason", async () => {
    const page = await newPage();
    await signIn(page, 'demo-admin-school');
    await page.getByRole('navigation').getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { level: 1, name: 'Användare och roller' }).waitFor();
    const principal = page.locator('.user[data-user-id="rektor.hammarlunden"]');
    await principal.getByLabel('Ge en roll').selectOption({ label: 'lärare' });
    await principal.getByRole('button', { name: 'Ge rollen' }).click();
    await page.getByRole('status').filter({ hasText: 'Rollen lärare är given.' }).waitFor();
    await principal.getByRole('button', { name: /Återkalla lärare/ }).click();
    await principal.getByRole('button', { name: 'Återkalla rollen' }).click();
    await page.getByRole('alert').filter({ hasText: 'Skriv varför rollen återkallas' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'administration');
    await principal.getByLabel('Skäl').fill('Vikariatet är slut');
    await principal.getByRole('button', { name: 'Återkalla rollen' }).click();
    await page.getByRole('status').filter({ hasText: 'Rollen lärare är återkallad.' }).waitFor();
    const users = await page.request.get(`${base()}/api/partnership/users`);
    const held = ((await users.json()) as { users: { userId: string; roles: string[] }[] }).users;
    expect(held.find((u) => u.userId === 'rektor.hammarlunden')?.roles).toEqual(['principal']);
  });

  it("ends a user's live stream when their role is revoked: the open page says so, unreloaded", async () => {
    const health = await newPage();
    // The live stream is open once its answer's headers are in.
    const live = health.waitForResponse((r) => r.url().endsWith('/api/live'), { timeout: 60_000 });
    await signIn(health, seedActors.studentHealth.userId, '/lagesbild');
    await health.locator('.report').first().waitFor();
    expect((await live).status()).toBe(200);
    const admin = await newPage();
    await signIn(admin, 'demo-admin-school');
    await postOk(admin, base(), '/partnership/user-roles/revocations', {
      userId: seedActors.studentHealth.userId,
      agency: 'school',
      role: 'student-health',
      reason: 'Tjänsten är avslutad',
    });
    // The server ends the stream; the page reads the session again: no role, no picture.
    await health
      .getByText('Du är inloggad men har ännu ingen roll', { exact: false })
      .waitFor({ timeout: 60_000 });
    expect(await health.locator('.report').count()).toBe(0);
    expect(await health.getByRole('navigation').count()).toBe(0);
  });

  it('answers an unknown app path with its own page, and signs out', async () => {
    const page = await newPage();
    await signIn(page, seedActors.socialWorker.userId, '/finns-inte');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Sidan finns inte',
    );
    await page.getByRole('button', { name: 'Logga ut' }).click();
    // The development provider asks before it ends its own session.
    await page.getByRole('button', { name: 'Ja, logga ut' }).click();
    await page.waitForURL(`${base()}/`);
    await page.getByRole('heading', { level: 1, name: 'Logga in' }).waitFor();
    const session = await page.request.get(`${base()}/api/auth/session`);
    expect(session.status()).toBe(401);
  });
});
