import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { listeningApi, type Started } from './listening-api';

/**
 * What every browser suite sets up: the API on the seeded embedded store on a real port,
 * Chromium, a browser profile per user (their own cookies), and any script error on a page
 * failing the test it happened in. Call inside a describe block.
 */
export function browserSuite(env: Record<string, string | undefined> = {}) {
  let api: Started;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    api = await listeningApi({ SAMVERKAN_SEED: 'auto', ...env });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await api?.stop();
  });
  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors).toEqual([]);
  });

  /** A fresh browser profile at a desktop's size (or a phone's), with any further options. */
  async function newPage(
    viewport = { width: 1280, height: 900 },
    options: BrowserContextOptions = {},
  ): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'sv-SE', ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  /** Signs in through the development provider's own page, as a person would, at `path`. */
  async function signIn(page: Page, userId: string, path = '/'): Promise<void> {
    await page.goto(`${api.base}${path}`);
    await page.getByRole('link', { name: /Utvecklingsinloggning/ }).click();
    await page.locator(`button[name="subject"][value="${userId}"]`).click();
    await page.waitForURL(`${api.base}${path}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
  }

  return {
    base: () => api.base,
    api: () => api,
    newPage,
    signIn,
    /** A signed-in user in a browser profile of their own. */
    signedIn: async (userId: string, path = '/', viewport?: { width: number; height: number }) => {
      const page = await newPage(viewport);
      await signIn(page, userId, path);
      return page;
    },
  };
}
