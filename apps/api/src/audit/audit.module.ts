import {
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventStoreModule } from '@samverkan/event-store/event-store.module';
import type { SealKeys } from '@samverkan/event-store/tamper-evidence/seal-keys';
import { samverkanEnvironment } from '../auth/environment';
import { LogVerificationController } from './log-verification.controller';
import { ControlSocket } from './control-socket';
import { LogAudit, SEAL_KEYS } from './log-audit';
import { sealIntervalSeconds, sealKeysForEnvironment } from './audit-config';

/**
 * Tamper evidence in the API: every instance tries to seal every interval, and a
 * transaction-scoped advisory lock lets one of them do it (see SqlLogSealer). On a server, a role
 * that could edit events is refused in production: the log would be only as safe as the seals.
 */
@Module({
  imports: [EventStoreModule],
  controllers: [LogVerificationController],
  providers: [
    {
      provide: SEAL_KEYS,
      useFactory: (): SealKeys => sealKeysForEnvironment(),
    },
    LogAudit,
    ControlSocket,
  ],
  exports: [LogAudit],
})
export class AuditModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LogSealer');
  private timer: NodeJS.Timeout | undefined;
  private sealing: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly audit: LogAudit) {}

  onApplicationBootstrap(): void {
    if (!this.audit.available) return;
    if (this.audit.adapter === 'postgres' && this.audit.eventsEditable) {
      if (samverkanEnvironment() === 'production') {
        throw new Error(
          "The database role of DATABASE_URL may update, delete or truncate events. In production the application's role may only read and insert them: " +
            'set DATABASE_OWNER_URL to the owner role (it runs the migrations and grants the rest), and DATABASE_URL to a role of its own (see docs/privacy.md).',
        );
      }
      this.logger.warn(
        'The role of DATABASE_URL may edit events (development): set DATABASE_OWNER_URL to run as an application role',
      );
    }
    const seal = async (): Promise<void> => {
      try {
        for (const b of await this.audit.seal()) {
          this.logger.log(
            `Sealed block ${b.blockNumber}: ${b.eventCount} events, positions ${b.afterPosition + 1} to ${b.throughPosition}`,
          );
        }
      } catch (error) {
        if (!this.stopped) this.logger.warn(`Sealing failed: ${(error as Error).message}`);
      }
    };
    this.timer = setInterval(() => {
      this.sealing ??= seal().finally(() => (this.sealing = undefined));
    }, sealIntervalSeconds() * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.sealing;
  }
}
