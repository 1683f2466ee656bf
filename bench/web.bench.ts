import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { freePort } from '../test/support/browser';
import type { Sink } from './bench-support';

/**
 * The web app as users load it: the built API (with the app it serves) on the seeded embedded
 * store, Debian's Chromium, and for each main page the largest contentful paint and the
 * JavaScript it loads, gzip-compressed (the budget: under 300 kB per page). Each page is loaded
 * in a fresh tab, signed in where it needs it; LCP is the median of `BENCH_WEB_RUNS` loads.
 */
const PAGES = [
  { name: 'start', path: '/', signedIn: true },
  { name: 'lägesbild', path: '/lagesbild', signedIn: true },
  { name: 'medborgarlöfte', path: '/medborgarlofte', signedIn: true },
  { name: 'invånare (public)', path: '/invanare', signedIn: false },
] as const;
const RUNS = Number(process.env['BENCH_WEB_RUNS'] ?? 5);
const BUDGET_KB = 300;
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

async function startApi(port: number, dataDir: string): Promise<ChildProcess> {
  const main = resolve('dist/apps/api/apps/api/src/main.js');
  if (!existsSync(main) || !existsSync(resolve('dist/apps/web/index.html'))) {
    throw new Error('Build first: npm run build (the API and the web app)');
  }
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: String(port),
      SAMVERKAN_DATA_DIR: dataDir,
      SAMVERKAN_PUBLIC_URL: `http://127.0.0.1:${port}`,
      SAMVERKAN_ENV: 'development',
      SAMVERKAN_SEED: 'auto',
      SAMVERKAN_RELAY: 'off',
      // The page's own work, not a tile server's network: the JavaScript sent is the same.
      SAMVERKAN_MAP_TILE_URL: 'none',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let waited = 0; waited < 120_000; waited += 250) {
    if (child.exitCode !== null) throw new Error(`The API exited (${child.exitCode})`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return child;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error('The API did not become ready within 2 minutes');
}

/** The largest contentful paint of the page as loaded, in ms, once its main heading is there. */
async function largestContentfulPaint(page: Page): Promise<number> {
  await page.getByRole('heading', { level: 1 }).waitFor();
  // Settled: the page's data has arrived (the heading of a loaded page) and a frame has passed.
  await page.waitForTimeout(300);
  return page.evaluate<number>(`new Promise((done) => {
    new PerformanceObserver((list) => {
      const entries = list.getEntries();
      done(entries[entries.length - 1].startTime);
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  })`);
}

export async function webBench(out: Sink): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM} (apt install chromium)`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-bench-web-'));
  const api = await startApi(port, dataDir);
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const signIn = await context.newPage();
    await signIn.goto(`${base}/`);
    await signIn.getByRole('link', { name: /Utvecklingsinloggning/ }).click();
    await signIn.locator('button[name="subject"][value="kommunpolis.hammaro"]').click();
    await signIn.waitForURL(`${base}/`);
    await signIn.close();
    const anonymous = await browser.newContext({ viewport: { width: 1280, height: 800 } });

    out.line(
      `Chromium ${browser.version()}; ${RUNS} loads per page, LCP median; JavaScript gzip -9`,
    );
    out.line('');
    out.line('page                 LCP ms   JS files   JS kB (gzip)   within 300 kB');
    for (const p of PAGES) {
      const paints: number[] = [];
      let jsBytes = 0;
      let jsFiles = 0;
      for (let run = 0; run < RUNS; run++) {
        const page = await (p.signedIn ? context : anonymous).newPage();
        const scripts: Promise<Buffer>[] = [];
        page.on('response', (response) => {
          if (response.request().resourceType() === 'script') scripts.push(response.body());
        });
        await page.goto(`${base}${p.path}`);
        paints.push(await largestContentfulPaint(page));
        if (run === 0) {
          const bodies = await Promise.all(scripts);
          jsFiles = bodies.length;
          jsBytes = bodies.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0);
        }
        await page.close();
      }
      paints.sort((a, b) => a - b);
      const kb = jsBytes / 1024;
      out.line(
        `${p.name.padEnd(19)} ${paints[Math.floor(paints.length / 2)]!.toFixed(0).padStart(7)}   ${String(jsFiles).padStart(8)}   ${kb.toFixed(1).padStart(12)}   ${kb < BUDGET_KB ? 'yes' : 'NO'}`,
      );
    }
  } finally {
    await browser.close();
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
