import { execFile } from 'node:child_process';
import { verify as verifySignature, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Actor } from '../libs/domain/src/actor';
import { embeddedDatabaseOf } from '../libs/event-store/src/embedded/embedded-event-store';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import type { BlockHeadsExport } from '../libs/event-store/src/tamper-evidence/block-heads';
import type { VerificationReport } from '../libs/event-store/src/tamper-evidence/sql-log-verifier';
import { until } from '../libs/shared/src/eventually';
import { bearer, grantUsers, startApi, TEST_SECRET, TEST_SEAL_KEY } from './support/api-harness';
import { sealKeysForEnvironment } from '../apps/api/src/audit/audit-config';

const run = promisify(execFile);

const operator: Actor = { userId: 'drift.1', agency: 'municipality', role: 'operator' };
const auditor: Actor = {
  userId: 'revisor.1',
  agency: 'municipality',
  role: 'partnership-auditor',
};
const officer: Actor = { userId: 'polis.1', agency: 'police', role: 'officer' };

/** `npm run audit -- …` as an operator runs it beside the API, on the same data folder. */
async function auditCommand(
  dataDir: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/audit.ts', ...args],
      {
        env: {
          ...process.env,
          DATABASE_URL: '',
          SAMVERKAN_DATA_DIR: dataDir,
          SAMVERKAN_SEAL_KEY: TEST_SEAL_KEY,
          SAMVERKAN_ENV: 'development',
        },
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the tamper-evident log on the embedded store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-audit-'));
  let started: Awaited<ReturnType<typeof startApi>> | undefined;

  beforeAll(async () => {
    started = await startApi({
      DATABASE_URL: undefined,
      SAMVERKAN_DATA_DIR: dataDir,
      SAMVERKAN_JWT_SECRET: TEST_SECRET,
      SAMVERKAN_SEED: 'off',
      SAMVERKAN_SEAL_INTERVAL_SECONDS: '1',
    });
    await grantUsers(started.app, [operator, auditor, officer]);
  });

  afterAll(async () => {
    await started?.app.close();
    started?.restore();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const http = () => started!.http();
  const verification = async (actor: Actor): Promise<VerificationReport> =>
    (await http().get('/audit/verification').set(bearer(actor)).expect(200))
      .body as VerificationReport;

  it('is verified by the operator and the partnership auditor, and by no one else', async () => {
    const res = await http().get('/audit/verification').set(bearer(officer)).expect(403);
    expect(JSON.stringify(res.body)).not.toMatch(/eventsChecked|globalPosition/);
    await http().get('/audit/verification').expect(401);
    // The API seals the settled log every second here.
    const store = started!.app.get<EventStore>(EVENT_STORE);
    const head = (await store.status()).headPosition;
    const report = await until('the log sealed through its head', async () => {
      const r = await verification(auditor);
      return r.sealedThrough >= head ? r : undefined;
    });
    expect(report).toMatchObject({ intact: true, problemCount: 0 });
    expect(report.eventsChecked).toBeGreaterThanOrEqual(head);
    expect(report.blocksChecked).toBeGreaterThanOrEqual(1);
    expect(report.eventsPerSecond).toBeGreaterThan(0);
    expect((await verification(operator)).intact).toBe(true);
  });

  it('answers the command line through the running API, and exports the signed block heads', async () => {
    const verified = await auditCommand(dataDir, 'verify', '--json');
    expect(verified.stderr).toMatch(/control socket/);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ intact: true });

    const out = join(dataDir, 'heads.json');
    const exported = await auditCommand(dataDir, 'export', '--out', out);
    expect(exported.code).toBe(0);
    const heads = JSON.parse(readFileSync(out, 'utf8')) as BlockHeadsExport;
    expect(heads.format).toBe('samverkan-block-heads/1');
    expect(heads.blocks.length).toBeGreaterThanOrEqual(1);
    // An archive checks each head's signature with the exported public key, without us.
    for (const block of heads.blocks) {
      const key = createPublicKey(heads.publicKeys[block.keyId]!);
      expect(
        verifySignature(
          null,
          Buffer.from(block.blockHash, 'hex'),
          key,
          Buffer.from(block.signature, 'base64'),
        ),
      ).toBe(true);
    }
  });

  it('reports a change made behind the store, through the API and the command line', async () => {
    const store = started!.app.get<EventStore>(EVENT_STORE);
    const db = embeddedDatabaseOf(store)!;
    await db.exec(
      `update event_store.events set data = '{"ändrat":true}' where global_position = 2`,
    );
    const report = await verification(operator);
    expect(report.intact).toBe(false);
    expect(report.firstProblem).toMatchObject({ kind: 'content-changed', globalPosition: 2 });
    const cli = await auditCommand(dataDir, 'verify');
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/does NOT hold[\s\S]*position 2/);
  });

  it('is verified by the command line with the API stopped, opening the folder itself', async () => {
    await started!.app.close();
    const cli = await auditCommand(dataDir, 'verify', '--json');
    expect(cli.stderr).not.toMatch(/control socket/);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      intact: false,
      firstProblem: { globalPosition: 2 },
    });
  });
});

describe('keys production will not start without', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-keys-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const production = {
    DATABASE_URL: undefined,
    SAMVERKAN_DATA_DIR: dataDir,
    SAMVERKAN_SEED: 'off',
    SAMVERKAN_ENV: 'production',
  };

  it('stops start-up without the master key of personal fields, naming the variable', async () => {
    await expect(startApi({ ...production, SAMVERKAN_MASTER_KEYS: undefined })).rejects.toThrow(
      /SAMVERKAN_MASTER_KEYS is not set/,
    );
  });

  it('stops start-up without the key that signs sealed blocks', () => {
    // The provider's own factory: a whole app would open its store before it failed here.
    expect(() =>
      sealKeysForEnvironment({ SAMVERKAN_ENV: 'production', SAMVERKAN_DATA_DIR: dataDir }),
    ).toThrow(/SAMVERKAN_SEAL_KEY is not set/);
    expect(
      sealKeysForEnvironment({ SAMVERKAN_ENV: 'development', SAMVERKAN_DATA_DIR: dataDir }).keyId,
    ).toMatch(/^[0-9a-f]{16}$/);
  });
});
