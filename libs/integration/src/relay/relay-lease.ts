import { Client } from 'pg';

/**
 * Who publishes: any number of relays may run for one partnership (apps/relay scaled out, or
 * the API's in-process relay beside one), and one of them holds the lease and publishes; the
 * others stand by and take over when it goes. The checkpoint is also moved by compare-and-set,
 * so a relay that lost its lease without noticing cannot move it back.
 */
export interface RelayLease {
  /** Takes the lease if it is free; true while this process holds it. */
  tryAcquire(): Promise<boolean>;
  /** False once the lease is known lost (its session ended) or released. */
  readonly held: boolean;
  /** Asks: is the lease still held? (A half-open connection says nothing until asked.) */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/** How long letting go of the lease waits for the server to answer the session's goodbye. */
const GOODBYE_WAIT_MS = 1000;

/**
 * A PostgreSQL session advisory lock on a connection of its own: when the process dies the
 * server ends the session and the lock with it, so a standby takes over within its retry time.
 */
export class PostgresRelayLease implements RelayLease {
  private client: Client | undefined;
  private holding = false;

  constructor(
    private readonly connectionString: string,
    private readonly key: string,
  ) {}

  get held(): boolean {
    return this.holding;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.holding) return true;
    if (!this.client) {
      const client = new Client({
        connectionString: this.connectionString,
        application_name: 'samverkan-relay-lease',
        // A dead server or network shows as an error on the socket, not as silence.
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
        query_timeout: 5000,
      });
      const lost = () => {
        // The session is gone, and the lock with it: stop publishing, open a new one later.
        this.holding = false;
        if (this.client === client) this.client = undefined;
      };
      client.on('error', lost);
      client.on('end', lost);
      try {
        await client.connect();
      } catch (error) {
        lost();
        throw error;
      }
      this.client = client;
    }
    const { rows } = await this.client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock(hashtext($1)) as locked',
      [this.key],
    );
    this.holding = rows[0]?.locked === true;
    return this.holding;
  }

  async stillHeld(): Promise<boolean> {
    if (!this.holding || !this.client) return false;
    try {
      // A session lock lasts as long as its session: the session answering is the lock held.
      await this.client.query('select 1');
      return this.holding;
    } catch {
      await this.release();
      return false;
    }
  }

  async release(): Promise<void> {
    this.holding = false;
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    // Ending the session lets go of the lock. Over a half-open connection (the network cut
    // between here and the server) the goodbye is never answered, and a relay waiting for it
    // would hang there and never stand by again: after a moment the socket is dropped.
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      client.end().then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), GOODBYE_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!ended) client.connection.stream.destroy();
  }
}

const heldInProcess = new Set<string>();

/** The embedded store has one process (the data-folder lock): the lease is in-process. */
export class InProcessRelayLease implements RelayLease {
  private holding = false;

  constructor(private readonly key: string) {}

  get held(): boolean {
    return this.holding;
  }

  tryAcquire(): Promise<boolean> {
    if (!this.holding && !heldInProcess.has(this.key)) {
      heldInProcess.add(this.key);
      this.holding = true;
    }
    return Promise.resolve(this.holding);
  }

  stillHeld(): Promise<boolean> {
    return Promise.resolve(this.holding);
  }

  release(): Promise<void> {
    if (this.holding) heldInProcess.delete(this.key);
    this.holding = false;
    return Promise.resolve();
  }
}

export const relayLeaseKey = (partnershipId: string): string => `samverkan.relay.${partnershipId}`;
