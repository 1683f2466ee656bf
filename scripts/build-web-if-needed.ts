import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `npm start` runs this first: it builds the web app (`npm run build:web`) when it was never
 * built or a source of it changed since, and does nothing otherwise (a second or so saved on
 * every start, minutes on a slow machine).
 */
const root = resolve(__dirname, '..');
const sources = [
  'apps/web/src',
  'apps/web/public',
  'apps/web/index.html',
  'apps/web/vite.config.mts',
];
const built = join(root, 'dist/apps/web/index.html');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const changedAt = Math.max(...sources.map((s) => newest(join(root, s))));
if (builtAt === 0 || changedAt > builtAt) {
  process.stdout.write(
    builtAt === 0 ? 'Building the web app (once)…\n' : 'The web app changed: building it…\n',
  );
  execFileSync('npm', ['run', '-s', 'build:web'], { cwd: root, stdio: 'inherit' });
}
