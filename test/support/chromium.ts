import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt install chromium`; `.ci/run` installs it), driven by playwright-core:
 * no browser is downloaded. Where it is missing the browser suites are skipped, except under
 * CI=true, where they fail: a suite that cannot run must not pass unnoticed.
 */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI'] === 'true') {
    throw new Error(
      `Chromium is not at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  return false;
}

/** `describe` when Chromium is here; otherwise skipped, saying why (and failing under CI). */
export const describeInBrowser: jest.Describe = chromiumAvailable()
  ? describe
  : (((name: string, fn: () => void) =>
      describe.skip(`${name} (skipped: no Chromium at ${CHROMIUM})`, fn)) as jest.Describe);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // As root in a container, without the sandbox; and no calls home, which this machine's
    // closed network refuses (and no test may depend on).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Swedish, as the partnership's browsers are: date inputs read year-month-day.
      '--lang=sv-SE',
    ],
  });
}

/** Where the test run writes its screenshots: one per page and state, for the README. */
export const SCREENSHOTS = resolve('test-output/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly string[];
}

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it is now: the serious and critical
 * violations. Injected through the DevTools protocol, so the page's Content Security Policy
 * stays as strict as it is for users.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  // A string, run in the page: this program is typed for Node, without the DOM.
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  })()`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
