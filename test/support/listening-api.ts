import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { startApi, TEST_SECRET } from './api-harness';
import { freePort } from './browser';

export interface Started {
  app: INestApplication;
  base: string;
  dataDir: string;
  stop: () => Promise<void>;
}

/** The API listening on a real port: the provider's issuer URL and redirect URIs name it. */
export async function listeningApi(
  env: Record<string, string | undefined>,
  port?: number,
): Promise<Started> {
  port ??= await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-sign-in-'));
  const started = await startApi({
    DATABASE_URL: undefined,
    SAMVERKAN_DATA_DIR: dataDir,
    SAMVERKAN_JWT_SECRET: TEST_SECRET,
    PORT: String(port),
    SAMVERKAN_PUBLIC_URL: base,
    SAMVERKAN_JWKS_COOLDOWN_SECONDS: '0',
    ...env,
  });
  await started.app.listen(port, '127.0.0.1');
  const api: Started = {
    app: started.app,
    base,
    dataDir,
    // Closes the app running now: a test may have restarted it on the same folder.
    stop: async () => {
      await api.app.close();
      started.restore();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return api;
}
