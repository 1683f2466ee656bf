import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Test, type TestingModule } from '@nestjs/testing';
import { readBackupManifest } from '@samverkan/event-store/backup/backup-manifest';
import { StoreNotEmptyError } from '@samverkan/event-store/backup/embedded-backup';
import {
  createEventStore,
  eventStoreConfigFromEnv,
  masterKeysFromEnv,
  type EventStoreConfig,
} from '@samverkan/event-store/event-store.config';
import { EventStoreModule } from '@samverkan/event-store/event-store.module';
import {
  EVENT_STORE,
  type Actor,
  type EventStore,
  type RecordedEvent,
} from '@samverkan/event-store/event-store.port';
import { LOG_ACCESS, type LogAccess } from '@samverkan/event-store/log-access.port';
import { erasureLedgerFromEnv } from '@samverkan/event-store/protection/erasure-ledger-config';
import type { BlockHeadsExport } from '@samverkan/event-store/tamper-evidence/block-heads';
import { newSealKey } from '@samverkan/event-store/tamper-evidence/seal-keys';
import { uuidv7 } from '@samverkan/shared/ids';
import { sealKeysForEnvironment } from '../audit/audit-config';
import { AuditModule } from '../audit/audit.module';
import { LogAudit } from '../audit/log-audit';
import { restoreBackup } from './restore-backup';
import { describeRestore } from './restore-outcome';
import { takeBackup, type BackupTaken } from './take-backup';
import { onServer } from '../../../../test/support/postgres-admin';

const actor: Actor = { userId: 'u-backup', agency: 'social-services', role: 'social-worker' };
const SEAL_KEY = newSealKey().privateKey;
const sealKeys = sealKeysForEnvironment({ SAMVERKAN_SEAL_KEY: SEAL_KEY });
const masterKeys = masterKeysFromEnv();
/** Stands for a development key file in the embedded store's folder. */
const DEV_KEY_TEXT = `{"SAMVERKAN_MASTER_KEYS": "dev-test:${uuidv7()}"}`;

/**
 * The API's store, sealing and control socket as the running process has them (the event-store
 * and audit modules, without HTTP), on the environment given.
 */
interface Running {
  readonly store: EventStore;
  readonly access: LogAccess;
  readonly audit: LogAudit;
  stop(): Promise<void>;
}

async function runPlatform(env: Record<string, string | undefined>): Promise<Running> {
  const saved = { ...process.env };
  Object.assign(process.env, { SAMVERKAN_SEAL_KEY: SEAL_KEY, SAMVERKAN_ENV: 'development' });
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let moduleRef: TestingModule;
  try {
    moduleRef = await Test.createTestingModule({
      imports: [EventStoreModule, AuditModule],
    }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
  } finally {
    process.env = saved;
  }
  return {
    store: moduleRef.get<EventStore>(EVENT_STORE),
    access: moduleRef.get<LogAccess>(LOG_ACCESS),
    audit: moduleRef.get(LogAudit),
    stop: () => moduleRef.close(),
  };
}

/** A prevention talk about a young person: its purpose and reference are personal. */
async function planTalk(store: EventStore, talkId: string, subjectRef: string): Promise<void> {
  await store.append(
    `prevention-talk-${talkId}`,
    [
      {
        type: 'PreventionTalkPlanned',
        data: {
          talkId,
          subjectRef,
          plannedFor: '2026-11-20',
          participants: [{ agency: 'social-services', role: 'social-worker' }],
          purpose: 'Oro för droger i skolan',
          legalGround: { basis: 'consent' },
        },
      },
    ],
    { expectedRevision: 'no_stream', actor },
  );
}

/**
 * Appends to several streams until stopped: the backup is taken while they go on. Each append
 * waits for the event loop's next turn, as appends arriving by HTTP do: PGlite answers without
 * I/O, so a loop of appends alone would never let the control socket's request in.
 */
function keepAppending(store: EventStore): { stop: () => Promise<number>; last: () => number } {
  let running = true;
  let appended = 0;
  let last = 0;
  const writers = [0, 1, 2].map(async (w) => {
    while (running) {
      await new Promise((turn) => setImmediate(turn));
      const result = await store.append(
        `situation-report-busy-${w}`,
        [{ type: 'SituationReported', data: { description: `Klotter ${appended}` } }],
        { expectedRevision: 'any', actor },
      );
      last = Math.max(last, result.globalPosition);
      appended += 1;
    }
  });
  let stopped: Promise<number> | undefined;
  return {
    last: () => last,
    stop: () =>
      (stopped ??= (async () => {
        running = false;
        await Promise.all(writers);
        return appended;
      })()),
  };
}

/**
 * Waits until the store's readers pass `position`. On a server other suites share, their open
 * transactions hold the log's watermark back for a while (readers never pass a position whose
 * writers may not have finished).
 */
async function untilFinal(store: EventStore, position: number): Promise<void> {
  const deadline = Date.now() + 100_000;
  while ((await store.status()).headPosition < position) {
    if (Date.now() > deadline) throw new Error(`The log's head stayed below ${position}`);
    await new Promise((wait) => setTimeout(wait, 200));
  }
}

async function readAll(store: EventStore, form: 'sealed' | 'revealed'): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const e of store.readAll({ personalData: form })) events.push(e);
  return events;
}

async function readStore(
  config: EventStoreConfig,
  head: number,
): Promise<{
  sealed: RecordedEvent[];
  revealed: RecordedEvent[];
}> {
  const store = await createEventStore(config, undefined, masterKeys, undefined);
  try {
    await store.start();
    await untilFinal(store, head);
    return { sealed: await readAll(store, 'sealed'), revealed: await readAll(store, 'revealed') };
  } finally {
    await store.close();
  }
}

/**
 * What every store must show: a backup taken while appends go on holds every event up to its
 * head, as stored (envelope, ciphertext, chain); a restore applies erasures made after it from
 * the ledger; a store that holds data is not restored over.
 */
function backupSuite(
  name: string,
  setUp: () => Promise<{
    env: Record<string, string | undefined>;
    source: EventStoreConfig;
    target: EventStoreConfig;
    cleanUp: () => Promise<void>;
  }>,
): void {
  describe(name, () => {
    let folder: string;
    let context: Awaited<ReturnType<typeof setUp>>;
    beforeAll(async () => {
      folder = mkdtempSync(join(tmpdir(), 'samverkan-backup-'));
      context = await setUp();
    });
    afterAll(async () => {
      await context?.cleanUp();
      rmSync(folder, { recursive: true, force: true });
    });

    it('backs up while appends go on and restores every event, with erasures made after it applied again', async () => {
      const platform = await runPlatform(context.env);
      const out = join(folder, 'store.backup');
      let original: RecordedEvent[];
      let headsAfter: BlockHeadsExport;
      let taken: BackupTaken;
      try {
        await planTalk(platform.store, 'kept', 'SOC-KEPT-1');
        await planTalk(platform.store, 'erased', 'SOC-ERASED-1');
        await platform.audit.seal();

        const busy = keepAppending(platform.store);
        taken = await takeBackup(context.source, out).finally(() => busy.stop());
        const appended = await busy.stop();
        await untilFinal(platform.store, busy.last());

        expect(taken.madeBy).toBe(
          context.source.adapter === 'postgres' ? 'pg_dump' : 'the running API',
        );
        // Appends went on around the copy: some are in it, some came after it.
        const all = await readAll(platform.store, 'sealed');
        expect(appended).toBeGreaterThan(0);
        expect(all.at(-1)!.globalPosition).toBeGreaterThan(taken.manifest.headPosition);
        const head = taken.manifest.headPosition;
        original = all.filter((e) => e.globalPosition <= head);
        expect(original.some((e) => e.streamId.startsWith('situation-report-busy'))).toBe(true);

        // After the backup: an erasure, and blocks sealed past its head, exported.
        expect(await platform.access.keys.destroySubject('SOC-ERASED-1', 'corr-erasure-1')).toBe(1);
        await platform.audit.seal();
        headsAfter = await platform.audit.exportHeads();
      } finally {
        await platform.stop();
      }

      const { manifest } = readBackupManifest(out);
      expect(manifest).toMatchObject({
        store: context.source.adapter,
        format: 'samverkan-backup/1',
      });
      expect(manifest.schemaVersions['event_store']).toBeGreaterThan(0);
      if (manifest.store === 'embedded') {
        // The development key files in the data folder stay out of the copy.
        const copy = gunzipSync(readFileSync(out).subarray(readBackupManifest(out).payloadOffset));
        expect(copy.includes(Buffer.from(DEV_KEY_TEXT))).toBe(false);
        expect(copy.includes(Buffer.from('PG_VERSION'))).toBe(true);
      }

      const report = await restoreBackup({
        config: context.target,
        file: out,
        force: false,
        masterKeys,
        sealKeys,
        ledger: erasureLedgerFromEnv(context.source, context.env),
        heads: headsAfter,
      });
      expect(report.verification).toMatchObject({ intact: true, problemCount: 0 });
      expect(report.headPosition).toBe(manifest.headPosition);
      expect(report.ledger).toMatchObject({ newerThanBackup: 1, reapplied: 1, keysDestroyed: 1 });
      expect(report.heads).toMatchObject({
        outcome: 'older',
        restoredTo: manifest.headPosition,
      });
      const outcome = describeRestore(report);
      expect(outcome.exitCode).toBe(0);
      expect(outcome.text).toContain(
        `Restored to position ${manifest.headPosition} (the exported heads reach `,
      );
      expect(outcome.text).not.toMatch(/tamper/i);

      const restored = await readStore(context.target, manifest.headPosition);
      expect(restored.sealed).toEqual(original);
      const talk = (id: string) =>
        restored.revealed.find((e) => e.streamId === `prevention-talk-${id}`)!.data;
      expect(talk('erased')).toMatchObject({ subjectRef: '[raderad]', purpose: '[raderad]' });
      expect(talk('kept')).toMatchObject({
        subjectRef: 'SOC-KEPT-1',
        purpose: 'Oro för droger i skolan',
      });

      // A store that holds data is not restored over without --force.
      await expect(
        restoreBackup({
          config: context.target,
          file: out,
          force: false,
          masterKeys,
          sealKeys,
          ledger: undefined,
        }),
      ).rejects.toThrow(StoreNotEmptyError);
      expect(existsSync(`${out}.partial`)).toBe(false);
    }, 600_000);
  });
}

backupSuite('on the embedded store (the running process makes the copy)', () => {
  const root = mkdtempSync(join(tmpdir(), 'samverkan-backup-embedded-'));
  const source = join(root, 'data');
  mkdirSync(source);
  writeFileSync(join(source, 'master-keys.json'), DEV_KEY_TEXT);
  return Promise.resolve({
    env: { DATABASE_URL: undefined, SAMVERKAN_DATA_DIR: source },
    source: eventStoreConfigFromEnv({ SAMVERKAN_DATA_DIR: source }),
    target: eventStoreConfigFromEnv({ SAMVERKAN_DATA_DIR: join(root, 'restored') }),
    cleanUp: () => Promise.resolve(rmSync(root, { recursive: true, force: true })),
  });
});

const serverUrl = process.env['DATABASE_URL']?.trim();
if (!serverUrl && process.env['CI'] !== 'true') {
  process.stderr.write('\nSkipped backup and restore on PostgreSQL: set DATABASE_URL to run it.\n');
}
(serverUrl || process.env['CI'] === 'true' ? backupSuite : describe.skip)(
  'on PostgreSQL (pg_dump in one snapshot; the ledger in a database of its own)',
  async () => {
    if (!serverUrl) {
      throw new Error('CI=true but DATABASE_URL is not set: backup on PostgreSQL must run');
    }
    const prefix = `backup_${process.pid}_${Date.now().toString(36)}`;
    const names = ['source', 'target', 'ledger'].map((n) => `${prefix}_${n}`);
    const admin = (sql: string) => onServer(serverUrl, sql);
    const urls = names.map((name) => {
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return url.toString();
    });
    for (const name of names) await admin(`create database ${name}`);
    const [source, target, ledger] = urls as [string, string, string];
    return {
      env: { DATABASE_URL: source, SAMVERKAN_ERASURE_LEDGER: ledger },
      source: eventStoreConfigFromEnv({ DATABASE_URL: source }),
      target: eventStoreConfigFromEnv({ DATABASE_URL: target }),
      cleanUp: async () => {
        for (const name of names) await admin(`drop database if exists ${name} with (force)`);
      },
    };
  },
);
