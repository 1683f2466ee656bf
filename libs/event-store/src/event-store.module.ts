import {
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from './event-store.port';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from './idempotency.port';
import { SqlEventStore } from './sql/sql-event-store';
import { databaseBesideLog } from './database-beside-log';
import { SqlIdempotencyStore } from './sql/sql-idempotency-store';
import { RATE_LIMITS, type RateLimits } from './rate-limits.port';
import { SqlRateLimits } from './sql/sql-rate-limits';
import { SECURITY_LOG, type SecurityLog } from './security-log.port';
import { SIGN_IN_STORE, type SignInStore } from './sign-in.port';
import {
  PERSONAL_DATA_CONFIRMATIONS,
  type PersonalDataConfirmations,
} from './personal-data-confirmations.port';
import { SqlPersonalDataConfirmations } from './sql/sql-personal-data-confirmations';
import { SqlSignInStore } from './sql/sql-sign-in-store';
import { SqlSecurityLog } from './sql/sql-security-log';
import { READ_REFUSALS, type ReadRefusals } from './read-refusals.port';
import { SqlReadRefusals } from './sql/sql-read-refusals';
import { LOG_ACCESS, type LogAccess } from './log-access.port';
import { VISITS, type Visits } from './visits.port';
import { SqlVisits } from './sql/sql-visits';
import { sqlLogAccess } from './sql/sql-log-access';
import {
  CITIZEN_DIALOGUE_SUBMISSIONS,
  type CitizenDialogueSubmissions,
} from './citizen-dialogue.port';
import { SqlCitizenDialogueSubmissions } from './sql/sql-citizen-dialogue';

/** How long the security log keeps an entry: SAMVERKAN_SECURITY_LOG_DAYS, 90 by default. */
const securityLogRetentionDays = (env: NodeJS.ProcessEnv = process.env): number =>
  integerSetting(env, 'SAMVERKAN_SECURITY_LOG_DAYS');
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@samverkan/shared/metrics/metrics-registry';
import { measuredEventStore } from './measured-event-store';
import {
  createEventStore,
  describeEventStoreConfig,
  eventStoreConfigFromEnv,
} from './event-store.config';
import { integerSetting } from '@samverkan/shared/configuration/read-setting';

/**
 * Provides the configured EventStore under the EVENT_STORE token, migrates it on start-up and
 * closes it on shutdown. Configuration comes from the environment (see event-store.config).
 */
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      // Measured when the process keeps metrics (the API does; a CLI has none to serve).
      inject: [{ token: METRICS_REGISTRY, optional: true }],
      useFactory: async (registry?: Registry): Promise<EventStore> => {
        const config = eventStoreConfigFromEnv();
        new Logger('EventStore').log(`Opening ${describeEventStoreConfig(config)}`);
        const store = await createEventStore(config);
        return registry ? measuredEventStore(store, config.adapter, registry) : store;
      },
    },
    {
      // Command answers live in the same database as the log, so there is nothing more to run.
      provide: IDEMPOTENCY_STORE,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore): IdempotencyStore => {
        const sql = databaseBesideLog(store);
        if (sql) return new SqlIdempotencyStore(sql);
        throw new Error('Idempotency keys need PostgreSQL beside the log (or the embedded store)');
      },
    },
    {
      // Request counts too: every API instance on one database shares them.
      provide: RATE_LIMITS,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore): RateLimits => {
        const sql = databaseBesideLog(store);
        if (sql) return new SqlRateLimits(sql);
        throw new Error('Rate limits need PostgreSQL beside the log (or the embedded store)');
      },
    },
    {
      provide: SECURITY_LOG,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore): SecurityLog => {
        const sql = databaseBesideLog(store);
        if (sql) return new SqlSecurityLog(sql, securityLogRetentionDays());
        throw new Error('The security log needs PostgreSQL beside the log (or the embedded store)');
      },
    },
    {
      // Sessions too: shared by replicas and kept across restarts.
      provide: SIGN_IN_STORE,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore): SignInStore => {
        const sql = databaseBesideLog(store);
        if (sql) return new SqlSignInStore(sql);
        throw new Error('Sign-in needs PostgreSQL beside the log (or the embedded store)');
      },
    },
    {
      provide: PERSONAL_DATA_CONFIRMATIONS,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore): PersonalDataConfirmations => {
        const sql = databaseBesideLog(store);
        if (sql) return new SqlPersonalDataConfirmations(sql);
        throw new Error('Confirmations need PostgreSQL beside the log (or the embedded store)');
      },
    },
    {
      // Where each user last saw the changes through: a row per user beside the log.
      provide: VISITS,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore): Visits => {
        const sql = databaseBesideLog(store);
        if (sql) return new SqlVisits(sql);
        throw new Error('Visits are kept in PostgreSQL beside the log (or the embedded store)');
      },
    },
    {
      provide: READ_REFUSALS,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore): ReadRefusals => {
        const sql = databaseBesideLog(store);
        if (sql) return new SqlReadRefusals(sql, securityLogRetentionDays());
        throw new Error(
          'Refused reads are kept in PostgreSQL beside the log (or the embedded store)',
        );
      },
    },
    {
      // Residents' submissions wait in a table of their own beside the log.
      provide: CITIZEN_DIALOGUE_SUBMISSIONS,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore): CitizenDialogueSubmissions => {
        const sql = databaseBesideLog(store);
        if (sql) return new SqlCitizenDialogueSubmissions(sql);
        throw new Error('Citizen dialogue needs PostgreSQL beside the log (or the embedded store)');
      },
    },
    {
      // The keys of personal fields, stored events and the sealed blocks, for the API's
      // privacy and audit work: null for a store without them.
      provide: LOG_ACCESS,
      inject: [EVENT_STORE],
      useFactory: async (store: EventStore): Promise<LogAccess | null> =>
        store instanceof SqlEventStore
          ? (sqlLogAccess(store, (await store.status()).adapter as 'postgres' | 'embedded') ?? null)
          : null,
    },
  ],
  exports: [
    EVENT_STORE,
    LOG_ACCESS,
    READ_REFUSALS,
    VISITS,
    IDEMPOTENCY_STORE,
    RATE_LIMITS,
    SECURITY_LOG,
    SIGN_IN_STORE,
    PERSONAL_DATA_CONFIRMATIONS,
    CITIZEN_DIALOGUE_SUBMISSIONS,
  ],
})
export class EventStoreModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('EventStore');

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    await this.store.start();
    const status = await this.store.status();
    this.logger.log(
      `Ready: ${status.adapter} store, schema version ${status.schemaVersion}, head position ${status.headPosition}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log('Closed');
  }
}
