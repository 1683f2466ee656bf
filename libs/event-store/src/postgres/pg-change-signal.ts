import { Client, type ClientConfig, type Pool } from 'pg';
import { InProcessChangeSignal, type ChangeSignal } from '../sql/change-signal';

export const APPENDED_CHANNEL = 'event_store_appended';

/**
 * Wakes subscribers in every process sharing the database. The NOTIFY is sent after the append
 * has committed, on its own, never inside the append transaction: a NOTIFY in a transaction takes
 * a database-wide lock from its commit's start to end, which would make all appenders commit one
 * at a time. Notifications are coalesced and spaced (`notifyIntervalMs`, default 10 ms): a burst
 * of appends costs a few NOTIFYs, not one each, since each NOTIFY is itself a committing
 * transaction that would compete with the appends for the server. Subscribers in this process
 * are woken at once; in other processes within the interval plus a round trip.
 */
export class PgChangeSignal implements ChangeSignal {
  private readonly local = new InProcessChangeSignal();
  private listener: Client | undefined;
  private listening: Promise<void> | undefined;
  private notifyInFlight = false;
  private notifyAgain = false;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private lastListenError: string | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly connection: ClientConfig,
    private readonly notifyIntervalMs = 10,
  ) {}

  wait(timeoutMs: number, abort?: AbortSignal): Promise<void> {
    this.listening ??= this.listen();
    return this.local.wait(timeoutMs, abort);
  }

  appended(): void {
    this.local.wake();
    if (this.notifyInFlight) {
      this.notifyAgain = true;
      return;
    }
    this.notifyInFlight = true;
    void this.sendNotify();
  }

  get state(): { listening: boolean; lastError?: string } {
    return {
      listening: this.listener !== undefined,
      ...(this.lastListenError ? { lastError: this.lastListenError } : {}),
    };
  }

  private async sendNotify(): Promise<void> {
    do {
      this.notifyAgain = false;
      try {
        await this.pool.query(`select pg_notify('${APPENDED_CHANNEL}', '')`);
      } catch {
        // A lost notification only delays other processes until their idle poll.
      }
      if (this.closed) break;
      // Appends that commit during this pause are announced by the next NOTIFY.
      await new Promise((resolve) => setTimeout(resolve, this.notifyIntervalMs));
    } while (this.notifyAgain && !this.closed);
    this.notifyInFlight = false;
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    // keepAlive: a half-open connection would otherwise never be noticed.
    const client = new Client({ ...this.connection, keepAlive: true });
    let failed = false;
    const retry = (error: unknown): void => {
      // A dying connection can both emit 'error' and reject the query: reconnect once.
      if (failed) return;
      failed = true;
      this.lastListenError = error instanceof Error ? error.message : String(error);
      if (this.listener === client) this.listener = undefined;
      client.removeAllListeners();
      // A late socket error must find a handler, or it would take the process down.
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (this.closed) return;
      // Subscribers keep polling meanwhile; wake them so none waits on a dead connection.
      this.local.wake();
      this.reconnectTimer = setTimeout(() => void this.listen(), 1000);
    };
    client.on('error', retry);
    client.on('notification', () => this.local.wake());
    try {
      await client.connect();
      await client.query(`listen ${APPENDED_CHANNEL}`);
      if (this.closed) {
        client.removeAllListeners();
        client.on('error', () => undefined);
        await client.end().catch(() => undefined);
        return;
      }
      this.listener = client;
      this.lastListenError = undefined;
      // Appends may have committed while we were connecting.
      this.local.wake();
    } catch (error) {
      retry(error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.local.close();
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      listener.removeAllListeners();
      listener.on('error', () => undefined);
      await listener.end().catch(() => undefined);
    }
  }
}
