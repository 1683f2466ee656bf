import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Jest's global setup for the browser suites: the web app built, as `npm start` builds it. */
export default function buildWeb(): void {
  execFileSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/build-web-if-needed.ts'], {
    cwd: resolve(__dirname, '../..'),
    stdio: 'inherit',
  });
}
