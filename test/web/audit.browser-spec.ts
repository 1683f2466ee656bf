import type { Page } from 'playwright-core';
import { seedActors } from '../../apps/api/src/seed/seed-step';
import { browserSuite } from '../support/browser-suite';
import { describeInBrowser, screenshot, seriousAxeViolations } from '../support/chromium';
import { grantRole, postOk, switchRole } from '../support/web-session';

/**
 * Audit in the browser: the partnership auditor filters the audit trail and finds the
 * coordinator's change with who and when; the school's data protection officer reads a
 * restricted read with its purpose in the read-access log and erases a report's text after a
 * confirmation dialog, the text then gone where it was shown; a teacher sees only the school's
 * own actions and is refused another agency's, the read-access log and erasure.
 */
describeInBrowser('audit and data protection in the browser', () => {
  const { base, signedIn } = browserSuite();
  const { principal, studentHealth, safetyCoordinator, policeOfficer } = seedActors;
  /** Named where no name should be: what the erasure must make unreadable. */
  const NAMED = `Kalle Karlsson i 9B klottrade på gaveln (${Date.now()})`;
  const PURPOSE = 'Uppföljning av klotter vid skolan';
  let dpo: Page;
  let teacher: Page;

  beforeAll(async () => {
    // The school's user administrator makes the student health worker its data protection
    // officer and the principal a teacher too; each then acts in that role.
    const admin = await signedIn('demo-admin-school');
    await grantRole(admin, base(), studentHealth, 'data-protection-officer');
    await grantRole(admin, base(), principal, 'teacher');
    dpo = await signedIn(studentHealth.userId);
    await switchRole(dpo, base(), 'data-protection-officer');
    teacher = await signedIn(principal.userId);
    await switchRole(teacher, base(), 'teacher');
  });

  const report = (description: string, sensitivity: 'open' | 'restricted') => ({
    placeIds: ['hammarlundens-skola'],
    problemArea: 'vandalism-burglary',
    period: { from: '2026-11-01', to: '2026-11-20' },
    trend: 'rising',
    severity: 'medium',
    description,
    source: 'own-observation',
    sensitivity,
    sharedWith: sensitivity === 'restricted' ? ['police'] : [],
  });

  it('lets the partnership auditor filter the trail and find the coordinator’s change, who and when', async () => {
    const coordinator = await signedIn(safetyCoordinator.userId);
    const place = (await (
      await coordinator.request.get(`${base()}/api/places/vastra-soon`)
    ).json()) as Record<string, unknown>;
    const { placeId: _id, version: _version, ...details } = place;
    await postOk(coordinator, base(), '/places/vastra-soon/changes', {
      ...details,
      reason: 'Namnet stavat som på kartan',
    });

    const page = await signedIn('demo-partnerskapsrevisor', '/granskning');
    await page.getByRole('heading', { level: 1, name: 'Granskningslogg' }).waitFor();
    await page.getByText('Loggen är hel').waitFor();
    // A mistyped date: the error summary, before anything is asked of the API.
    await page.getByLabel('Från och med').fill('2026-13-01');
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.getByRole('alert').filter({ hasText: 'Skriv datumet som ÅÅÅÅ-MM-DD' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('Från och med').fill('');
    await page.getByLabel('Myndighet').selectOption({ label: 'Kommunen' });
    await page.getByLabel('Vad som gjordes').selectOption({ label: 'Ändrade en plats' });
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.waitForURL(/\/granskning\?agency=municipality&type=PlaceChanged$/);
    const rows = page.locator('.audit-entry');
    await rows.first().waitFor();
    const text = (await rows.allTextContents()).join('\n');
    expect(text).toContain(safetyCoordinator.userId);
    expect(text).toContain('trygghetssamordnare, Kommunen');
    expect(text).toContain('Ändrade en plats');
    expect(text).toContain('places-');
    expect(await rows.locator('time').first().getAttribute('datetime')).toMatch(
      /^\d{4}-\d\d-\d\dT/,
    );
    expect(await page.getByText('Ändrade en plats', { exact: true }).count()).toBeGreaterThan(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'audit-trail');
    // The address holds the filters: a reload shows the same.
    await page.reload();
    await rows.first().waitFor();
    expect(await page.getByLabel('Vad som gjordes').inputValue()).toBe('PlaceChanged');
  });

  it('shows the data protection officer a restricted read with its purpose', async () => {
    const school = await signedIn(principal.userId);
    await postOk(
      school,
      base(),
      '/situation-reports',
      report('Oro kring cykelstället', 'restricted'),
    );
    // The principal reads it through the situation picture's purpose flow: the read is logged.
    await school.goto(`${base()}/lagesbild`);
    await school.getByLabel('Syfte för att visa begränsade rapporter').fill(PURPOSE);
    await school.getByRole('button', { name: 'Visa begränsade' }).click();
    await school.getByText('Oro kring cykelstället').first().waitFor();

    await dpo.goto(`${base()}/granskning`);
    await dpo.getByRole('link', { name: /Läsloggen/ }).click();
    await dpo.getByRole('heading', { level: 1, name: 'Läslogg' }).waitFor();
    const read = dpo.locator('.read-entry', { hasText: PURPOSE }).first();
    await read.waitFor();
    const text = await read.textContent();
    expect(text).toContain(principal.userId);
    expect(text).toContain('rektor, Skolan');
    expect(text).toContain('Rapport till lägesbilden');
    expect(text).toContain('Begränsad rapport från den egna myndigheten');
    expect(await seriousAxeViolations(dpo)).toEqual([]);
    await screenshot(dpo, 'read-access');
  });

  it('erases a report’s text after a dialog says what goes, and the text is gone where it was shown', async () => {
    const school = await signedIn(principal.userId);
    const made = await postOk(school, base(), '/situation-reports', report(NAMED, 'open'));
    const police = await signedIn(policeOfficer.userId, '/lagesbild');
    await police.getByText(NAMED).waitFor();
    // The audit trail, where the page finds the report's events, has the report too.
    await dpo.request.get(
      `${base()}/api/audit-trail?waitFor=${String(made['globalPosition'])}&limit=1`,
    );

    await dpo.goto(`${base()}/dataskydd`);
    await dpo.getByRole('heading', { level: 1, name: 'Radera personuppgifter' }).waitFor();
    expect(await seriousAxeViolations(dpo)).toEqual([]);
    await dpo.getByRole('button', { name: 'Fortsätt' }).click();
    const summary = dpo.getByRole('alert').filter({ hasText: 'Det finns ett problem' });
    await summary.waitFor();
    expect(await summary.getByRole('link').count()).toBe(2);
    expect(await seriousAxeViolations(dpo)).toEqual([]);

    const select = dpo.getByLabel('Rapport', { exact: true });
    const option = select.locator('option', { hasText: 'Kalle Karlsson' });
    await select.selectOption(await option.getAttribute('value'));
    await dpo
      .getByLabel('Rättslig grund och skäl')
      .fill('Namn på elev i fritext; raderas enligt artikel 17 dataskyddsförordningen');
    await dpo.getByRole('button', { name: 'Fortsätt' }).click();
    const dialog = dpo.getByRole('dialog', { name: 'Radera för alltid?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Det går inte att ångra');
    expect(await dialog.textContent()).toContain('(antal händelser: 1)');
    expect(await seriousAxeViolations(dpo)).toEqual([]);
    await screenshot(dpo, 'erasure');
    // Cancelled, nothing happens; asked again, it is done.
    await dialog.getByRole('button', { name: 'Avbryt' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await dpo.getByRole('button', { name: 'Fortsätt' }).click();
    await dialog.getByRole('button', { name: 'Radera för alltid' }).click();
    await dpo.getByRole('heading', { level: 2, name: 'Personuppgifterna är raderade' }).waitFor();
    expect(await dpo.getByRole('status').textContent()).toMatch(
      /Antal nycklar som förstördes: [1-9]/,
    );

    await police.reload();
    await police.locator('.report').first().waitFor();
    expect(await police.getByText(NAMED).count()).toBe(0);
    const reportId = String(made['streamId']).replace(/^situation-report-/, '');
    expect(await police.locator(`.report[data-report-id="${reportId}"]`).textContent()).toContain(
      '[raderad]',
    );
  });

  it('shows a teacher the school’s own actions only, and refuses the rest plainly', async () => {
    await teacher.goto(`${base()}/granskning`);
    await teacher.getByRole('heading', { level: 1, name: 'Granskningslogg' }).waitFor();
    await teacher.getByText('Du ser din myndighets egna händelser (Skolan).').waitFor();
    await teacher.locator('.audit-entry').first().waitFor();
    const who = await teacher.locator('.audit-entry td:nth-child(3)').allTextContents();
    expect(who.every((cell) => cell.endsWith(', Skolan'))).toBe(true);
    // Another agency's actions: the API's refusal, said plainly, no empty table.
    await teacher.goto(`${base()}/granskning?agency=police`);
    await teacher
      .getByRole('heading', { level: 2, name: 'Du har inte behörighet till den här sidan' })
      .waitFor();
    expect(await teacher.locator('.audit-entry').count()).toBe(0);
    expect(await seriousAxeViolations(teacher)).toEqual([]);
    for (const path of ['/dataskydd', '/lasloggar']) {
      await teacher.goto(`${base()}${path}`);
      await teacher
        .getByRole('heading', { level: 2, name: 'Du har inte behörighet till den här sidan' })
        .waitFor();
      expect(await teacher.locator('table, form').count()).toBe(0);
    }
    await screenshot(teacher, 'erasure-refused');
  });
});
