import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { eventStoreConfigFromEnv } from '@samverkan/event-store/event-store.config';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { copyEmbeddedStore } from '@samverkan/event-store/backup/embedded-backup';
import { manifestLine } from '@samverkan/event-store/backup/backup-manifest';
import { platformVersion } from '../backup/platform-version';
import { LogAudit } from './log-audit';
import { controlSocketPath } from './audit-config';

/**
 * The embedded store is one process's own (the data folder is locked), so the commands that
 * read it (`npm run audit -- verify|export`, `npm run backup`) ask the running process instead,
 * over a Unix socket in the data folder. The socket is readable by the folder's owner only:
 * whoever may read the files may ask. It answers reads of the tamper evidence and the
 * consistent copy of the store (a backup file's content: manifest line, then the copy), nothing
 * else.
 */
@Injectable()
export class ControlSocket implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ControlSocket');
  private server: Server | undefined;
  private path: string | undefined;

  constructor(
    @Inject(LogAudit) private readonly audit: LogAudit,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const config = eventStoreConfigFromEnv();
    if (config.adapter !== 'embedded' || config.dataDir.startsWith('memory://')) return;
    await this.listen(config.dataDir);
  }

  /** Answers on the control socket of the data folder this process holds. */
  async listen(dataDir: string): Promise<void> {
    const path = controlSocketPath(dataDir);
    // The data folder is locked by this process, so a socket file there is a dead one's.
    rmSync(path, { force: true });
    const server = createServer((req, res) => {
      const answer = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && req.url === '/backup') {
        copyEmbeddedStore(this.store, platformVersion()).then(
          ({ manifest, archive }) => {
            this.logger.log(
              `Copied the store for a backup at position ${manifest.headPosition} (${archive.length} bytes)`,
            );
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            res.write(manifestLine(manifest));
            res.end(archive);
          },
          (error: unknown) =>
            answer(500, { error: error instanceof Error ? error.message : String(error) }),
        );
        return;
      }
      const work =
        req.method === 'GET' && req.url === '/audit/verification'
          ? this.audit.verify()
          : req.method === 'GET' && req.url === '/audit/heads'
            ? this.audit.exportHeads()
            : undefined;
      if (!work) return answer(404, { error: 'unknown command' });
      work.then(
        (body) => answer(200, body),
        (error: Error) => answer(500, { error: error.message }),
      );
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(path, () => ok());
    });
    chmodSync(path, 0o600);
    server.unref();
    this.server = server;
    this.path = path;
    this.logger.log(`Listening on ${path} for the audit and backup commands`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((done) => this.server!.close(() => done()));
    if (this.path) rmSync(this.path, { force: true });
  }
}
