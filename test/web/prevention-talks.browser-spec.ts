import type { Page } from 'playwright-core';
import { seedActors } from '../../apps/api/src/seed/seed-step';
import { browserSuite } from '../support/browser-suite';
import { describeInBrowser, screenshot, seriousAxeViolations } from '../support/chromium';

/**
 * Prevention talks in the browser: a talk planned on its legal ground with the keyboard alone
 * (recorded once though sent twice) and recorded as held, the follow-ups due to an agency, the
 * consent withdrawal asked in its own panel, and a talk kept from those who do not take part.
 */
describeInBrowser('prevention talks in the browser', () => {
  const { base, signedIn } = browserSuite();
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(
    new Date(),
  );

  const focused = (page: Page) =>
    page.evaluate<string>('document.activeElement?.id || document.activeElement?.className || ""');

  /** Presses Tab until the element with this id has focus. */
  async function tabTo(page: Page, id: string): Promise<void> {
    for (let presses = 0; presses < 20; presses++) {
      await page.keyboard.press('Tab');
      if ((await focused(page)) === id) return;
    }
    throw new Error(`Tab never reached #${id}`);
  }

  /** The talks the user's role lists, through the API, once the read model has them. */
  async function listed(page: Page, atLeast: number): Promise<string[]> {
    let ids: string[] = [];
    for (let tries = 0; tries < 50; tries++) {
      const list = await page.request.get(
        `${base()}/api/prevention-talks?purpose=Testkontroll&from=${today}&to=${today}&limit=100`,
      );
      ids = ((await list.json()) as { items: { talkId: string }[] }).items.map((i) => i.talkId);
      if (ids.length >= atLeast) break;
      await page.waitForTimeout(100);
    }
    return ids;
  }

  let talkPath = '';

  it('plans a talk on 10 kap. 18 a § OSL with the keyboard alone, once though sent twice, and records it as held', async () => {
    const page = await signedIn(seedActors.socialWorker.userId);
    await page.getByRole('navigation').getByRole('link', { name: 'Samtal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Förebyggande samtal' }).waitFor();
    // Nothing is read before the user says why.
    expect(await page.locator('.talk-card').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('Varför öppnar du samtalen?').fill('Förbereda SSPF-möte');
    await page.getByRole('button', { name: 'Visa samtalen' }).click();
    await page.locator('.talk-card').first().waitFor();
    const before = (await listed(page, 0)).length;

    // Sent empty: the error summary, linked to each field.
    await page.locator('#plan-talk-submit').focus();
    await page.keyboard.press('Enter');
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await focused(page)).toBe('error-summary');
    await expect(summary.textContent()).resolves.toContain(
      'Polisen och socialtjänsten deltar båda i ett förebyggande samtal',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);

    // From the reference on, only keys.
    await summary.getByRole('link', { name: /Referens till den unge/ }).focus();
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('subjectRef');
    await page.keyboard.type('soc-4h7k2m');
    await tabTo(page, 'plannedFor');
    await page.keyboard.type(today);
    await tabTo(page, 'legalGround'); // the first ground, samtycke…
    await page.keyboard.press('ArrowDown'); // …and the provision
    expect(await page.locator('#legalGround-osl-10-18a').isChecked()).toBe(true);
    await tabTo(page, 'subjectUnder21');
    await page.keyboard.press('Space');
    await tabTo(page, 'preventivePurpose');
    await page.keyboard.type('Oro för att den unge dras in i narkotikaförsäljning.');
    await tabTo(page, 'participants'); // the first seat: Polisen, polis
    await page.keyboard.press('Space');
    await tabTo(page, 'purpose');
    await page.keyboard.type('Förebyggande samtal med polis och socialtjänst.');
    expect(await page.locator('#subjectRef').inputValue()).toBe('SOC-4H7K2M');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await tabTo(page, 'plan-talk-submit');
    // Pressed twice before the first answer: one talk.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Samtalet är planerat.' }).waitFor();
    const after = await listed(page, before + 1);
    expect(after).toHaveLength(before + 1);

    await page.getByRole('link', { name: 'Öppna samtalet' }).click();
    await page
      .getByRole('heading', { level: 2, name: 'Registrera samtalet som genomfört' })
      .waitFor();
    talkPath = new URL(page.url()).pathname;
    await expect(page.locator('.facts').first().textContent()).resolves.toContain(
      '10 kap. 18 a § OSL',
    );
    // With the keyboard again; the outcome holds what looks like an identity number, and the
    // author is asked about it first.
    await page.locator('#heldOn').focus(); // today's date is there already
    await tabTo(page, 'guardiansPresent'); // Ja…
    await page.keyboard.press('ArrowRight'); // …Nej
    expect(await page.locator('#guardiansPresent-no').isChecked()).toBe(true);
    await tabTo(page, 'outcome');
    await page.keyboard.type('Kontakt med fältassistenterna, ärende 650101-1231.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // Lägg till en uppföljning: focus moves into it
    await page.waitForFunction('document.activeElement?.id === "agreed-0-action"');
    await page.keyboard.type('Uppföljande samtal med fältassistent');
    await tabTo(page, 'agreed-0-responsibleAgency');
    await page.keyboard.type('Soc');
    await tabTo(page, 'agreed-0-dueOn');
    await page.keyboard.type(today);
    await tabTo(page, 'record-held-submit');
    await page.keyboard.press('Enter');
    await page.getByText('Texten innehåller något som liknar ett personnummer').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await tabTo(page, 'confirmPersonalData');
    await page.keyboard.press('Space');
    await tabTo(page, 'record-held-submit');
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: 'Samtalet är registrerat som genomfört.' })
      .waitFor();
    await page.getByText('Att göra för din myndighet').waitFor();
    const talkId = talkPath.split('/').pop()!;
    const read = await page.request.get(
      `${base()}/api/prevention-talks/${talkId}?purpose=Testkontroll`,
    );
    const talk = (await read.json()) as {
      status: string;
      subjectRef: string;
      legalGround: { basis: string };
      held: { agreedFollowUp: { responsibleAgency: string }[] };
    };
    expect(talk).toMatchObject({
      status: 'held',
      subjectRef: 'SOC-4H7K2M',
      legalGround: { basis: 'osl-10-18a' },
      held: { agreedFollowUp: [{ responsibleAgency: 'social-services' }] },
    });
  });

  it('refuses the talk, and says nothing of it, to those who do not take part', async () => {
    expect(talkPath).not.toBe('');
    // The school takes part in talks, but not in this one (the provision leaves it out).
    const school = await signedIn(seedActors.studentHealth.userId, `${talkPath}?syfte=Kontroll`);
    await school.getByRole('heading', { level: 1, name: 'Samtalet kan inte visas' }).waitFor();
    const shown = await school.content();
    for (const detail of ['SOC-4H7K2M', 'narkotika', 'fältassistent', '18 a']) {
      expect(shown).not.toContain(detail);
    }
    expect(await seriousAxeViolations(school)).toEqual([]);
    // A role that holds no talks is told so, and nothing is read.
    const coordinator = await signedIn(seedActors.safetyCoordinator.userId, '/samtal');
    await coordinator.getByText('Din roll deltar inte i förebyggande samtal').waitFor();
    expect(
      await coordinator.getByRole('navigation').getByRole('link', { name: 'Samtal' }).count(),
    ).toBe(0);
    expect(await coordinator.getByLabel('Varför öppnar du samtalen?').count()).toBe(0);
  });

  it("lists the follow-ups due to the user's agency and records one, after opening and leaving the withdrawal panel", async () => {
    const page = await signedIn(
      seedActors.socialWorker.userId,
      '/samtal?syfte=Uppfoljning&visa=uppfoljningar',
    );
    await page
      .getByRole('heading', { level: 2, name: 'Uppföljningar att göra för din myndighet' })
      .waitFor();
    const seeded = page.locator('.talk-card[data-talk-id="sspf-2024-001"]');
    await seeded.waitFor();
    await expect(seeded.textContent()).resolves.toContain('Uppföljning för din myndighet senast');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'prevention-talks');

    await seeded.getByRole('link').click();
    await page.getByRole('heading', { level: 2, name: 'Registrera en uppföljning' }).waitFor();
    await page.getByRole('button', { name: 'Återkalla samtycket' }).click();
    await page.getByRole('heading', { level: 2, name: 'Återkalla samtycket' }).waitFor();
    expect(await focused(page)).toBe('withdraw-consent');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Avbryt' }).click();
    expect(await page.getByRole('heading', { level: 2, name: 'Återkalla samtycket' }).count()).toBe(
      0,
    );

    // The follow-up with the keyboard: the date is today's already.
    await page.locator('#notes').focus();
    await page.keyboard.type('Fortsatt kontakt med kvällsverksamheten.');
    await tabTo(page, 'follow-up-submit');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Uppföljningen är registrerad.' }).waitFor();
    await page
      .locator('.talk-card', { hasText: 'Fortsatt kontakt med kvällsverksamheten.' })
      .waitFor();
    expect(await page.locator('#notes').inputValue()).toBe('');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'prevention-talk');
  });
});
