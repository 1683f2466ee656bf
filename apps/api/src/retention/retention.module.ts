import {
  Inject,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EventStoreModule } from '@samverkan/event-store/event-store.module';
import { systemClock } from '@samverkan/shared/clock';
import { samverkanEnvironment } from '../auth/environment';
import { ProjectionsModule } from '../projections/projections.module';
import { RETENTION_CONFIG, retentionConfigFromEnv, type RetentionConfig } from './retention-config';
import { RetentionJob } from './retention.job';

/**
 * Gallring in the API: every instance runs the job once at start and then every interval; a
 * transaction-scoped advisory lock lets one of them do it (see RetentionJob). Awaited before
 * shutdown, so the read models and the store it uses are still open while it finishes.
 */
@Module({
  imports: [EventStoreModule, ProjectionsModule],
  providers: [{ provide: RETENTION_CONFIG, useFactory: retentionConfigFromEnv }, RetentionJob],
  exports: [RetentionJob],
})
export class RetentionModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Gallring');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly job: RetentionJob,
    @Inject(RETENTION_CONFIG) private readonly config: RetentionConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.scheduled) {
      if (samverkanEnvironment() === 'production') {
        this.logger.warn(
          'SAMVERKAN_RETENTION=off: personal data is kept past its retention period until gallring runs',
        );
      }
      return;
    }
    const tick = (): void => {
      this.running ??= this.job
        .run(systemClock.now())
        .catch((error: unknown) => {
          this.logger.warn(
            `Gallring failed, tried again in ${this.config.intervalHours} h: ${String(error)}`,
          );
        })
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.config.intervalHours * 3_600_000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
