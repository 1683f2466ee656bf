import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { EventStore } from '../event-store.port';
import { createPostgresEventStore } from './postgres-event-store';

/**
 * Suites that need a PostgreSQL server. Without DATABASE_URL they are skipped with a message
 * saying how to run them, except under CI=true, where a missing server is a failure.
 */
export function requirePostgres(what: string): {
  url: string | undefined;
  describe: jest.Describe;
} {
  const url = process.env['DATABASE_URL']?.trim() || undefined;
  if (url) return { url, describe };
  if (process.env['CI'] === 'true') {
    const failing = ((name: string) =>
      describe(name, () => {
        it('needs PostgreSQL', () => {
          throw new Error(
            `CI=true but DATABASE_URL is not set: ${what} must run in CI. Set DATABASE_URL to a PostgreSQL database.`,
          );
        });
      })) as unknown as jest.Describe;
    return { url, describe: failing };
  }
  // Straight to stderr: jest may drop console output of a suite whose tests are all skipped.
  process.stderr.write(
    `\nSkipped ${what}: set DATABASE_URL=postgres://user@host:5432/db to run it (under CI=true it fails instead).\n`,
  );
  return { url, describe: describe.skip };
}

/** Creates a fresh database per test beside the one DATABASE_URL names, and drops them after. */
export class TestDatabases {
  private readonly created: string[] = [];
  private readonly suffix = randomBytes(3).toString('hex');

  /** `url` may be undefined where the suite is skipped: jest still collects its body. */
  constructor(private readonly url: string | undefined) {}

  async create(): Promise<string> {
    const base = new URL(this.serverUrl).pathname.replace(/^\//, '') || 'samverkan';
    const prefix = `${base}_t${this.suffix}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    const name = `${prefix}_${this.created.length}`;
    await this.admin(`create database ${name}`);
    this.created.push(name);
    const url = new URL(this.serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  /** A started PostgreSQL event store on a fresh database; the caller closes it. */
  async startedStore(poolSize = 5): Promise<EventStore> {
    const store = createPostgresEventStore({ connectionString: await this.create(), poolSize });
    await store.start();
    return store;
  }

  async dropAll(): Promise<void> {
    for (const name of this.created.splice(0)) {
      await this.admin(`drop database if exists ${name} with (force)`);
    }
  }

  private get serverUrl(): string {
    if (!this.url) throw new Error('DATABASE_URL is not set');
    return this.url;
  }

  private async admin(sql: string): Promise<void> {
    const client = new Client({ connectionString: this.serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}
