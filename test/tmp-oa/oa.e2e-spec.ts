import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, TEST_SECRET } from '../support/api-harness';
it('doc', async () => {
  const { app, http, restore } = await startApi({ DATABASE_URL: undefined, SAMVERKAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'oa-')), SAMVERKAN_SEED: 'off', SAMVERKAN_JWT_SECRET: TEST_SECRET });
  for (const p of ['/docs-json', '/docs/json', '/openapi.json', '/api-json']) {
    const res = await http().get(p);
    if (res.status === 200) {
      const doc = res.body;
      process.stderr.write(p + '\n' + JSON.stringify(doc.paths['/findings'].get.parameters, null, 1) + '\n' + JSON.stringify(doc.paths['/worklist'].get.parameters) + '\n');
      break;
    }
  }
  await app.close(); restore();
});
