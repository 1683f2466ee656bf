import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The platform's version from package.json in the working folder, for backups' manifests. */
export function platformVersion(): string {
  if (process.env['npm_package_version']) return process.env['npm_package_version'];
  try {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
