import { postgresUrlOf, type EventStoreConfig } from '@samverkan/event-store/event-store.config';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import { databaseBesideLog } from '@samverkan/event-store/database-beside-log';
import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import { Relay } from './relay';
import { PostgresRelayLease, relayLeaseKey } from './relay-lease';
import {
  choiceSetting,
  integerSetting,
  textSetting,
} from '@samverkan/shared/configuration/read-setting';
import { partnershipIdSetting, publicUrl } from '@samverkan/shared/configuration/common-settings';

export interface RelayConfig {
  readonly brokers: readonly string[];
  readonly partnershipId: string;
  readonly partitions: number;
  readonly retentionMs: { readonly events: number; readonly restricted: number };
  /** SASL/SCRAM credentials of the relay's own Kafka user, when the broker asks for them. */
  readonly sasl?: { readonly username: string; readonly password: string };
  /**
   * TLS to the brokers (SASL_SSL with `sasl`): the CA certificates (PEM) that may vouch for
   * them, or the system's trusted CAs when none are configured. Certificates are always
   * verified, names included.
   */
  readonly ssl?: { readonly ca?: readonly string[] };
  /** Where agency systems reach the API for withheld personal fields (SAMVERKAN_PUBLIC_URL: see publicUrl). */
  readonly apiUrl: string;
}

const DAY_MS = 86_400_000;

/**
 * The relay's configuration from the environment; undefined when Kafka is not configured or
 * this process is not to relay (SAMVERKAN_RELAY=off: another process does).
 */
export function relayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RelayConfig | undefined {
  return choiceSetting(env, 'SAMVERKAN_RELAY') === 'off' ? undefined : feedConfigFromEnv(env);
}

/** Where the feed is (brokers, partnership, topics), whether or not this process relays. */
export function feedConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RelayConfig | undefined {
  const brokers = (textSetting(env, 'KAFKA_BROKERS') ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) return undefined;
  const username = env['KAFKA_USERNAME']?.trim();
  const password = env['KAFKA_PASSWORD'];
  if ((username && !password) || (!username && password)) {
    throw new Error('KAFKA_USERNAME and KAFKA_PASSWORD go together');
  }
  const ssl = sslFromEnv(env);
  return {
    brokers,
    partnershipId: partnershipIdSetting(env),
    partitions: integerSetting(env, 'KAFKA_TOPIC_PARTITIONS'),
    retentionMs: {
      events: integerSetting(env, 'KAFKA_RETENTION_DAYS') * DAY_MS,
      restricted: integerSetting(env, 'KAFKA_RESTRICTED_RETENTION_DAYS') * DAY_MS,
    },
    ...(username && password ? { sasl: { username, password } } : {}),
    ...(ssl ? { ssl } : {}),
    apiUrl: publicUrl(env),
  };
}

/**
/**
 * KAFKA_SSL=on: TLS to the brokers; KAFKA_SSL_CA_FILE: a PEM file of the CA certificates that
 * signed theirs (a partnership's own CA), read once at start so a wrong path stops the process
 * there rather than at the first connection.
 */
function sslFromEnv(env: NodeJS.ProcessEnv): RelayConfig['ssl'] {
  const on = choiceSetting(env, 'KAFKA_SSL') ?? 'off';
  const caFile = textSetting(env, 'KAFKA_SSL_CA_FILE');
  if (on === 'off') {
    if (caFile) throw new Error('KAFKA_SSL_CA_FILE: is set but KAFKA_SSL is not on');
    return undefined;
  }
  if (!caFile) return {};
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new Error(`KAFKA_SSL_CA_FILE: cannot read ${caFile} (${(error as Error).message})`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`KAFKA_SSL_CA_FILE: ${caFile} holds no PEM certificate`);
  }
  return { ca: [pem] };
}

/**
 * kafkajs's log in the platform's log. Its errors are mostly requests it retries itself (a
 * partition leader that moved, a broker restarting): warnings here; the relay reports what
 * really failed (a batch not acknowledged) and shows the outage in its status.
 */
const kafkaLog: logCreator = () => {
  const logger = new Logger('Kafka');
  return ({ level, log }) => {
    const { message, error, broker } = log as { message: string; error?: string; broker?: string };
    const line = [message, error, broker && `(${broker})`].filter(Boolean).join(' ');
    if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(line);
    else if (level === logLevel.INFO) logger.log(line);
    else logger.debug(line);
  };
};

/** A Kafka client for the relay's brokers and credentials. */
function kafkaClient(
  config: RelayConfig,
  purpose: string,
  tuning: Partial<KafkaConfig> = {},
): Kafka {
  return new Kafka({
    clientId: `samverkan-${purpose}-${config.partnershipId}`,
    brokers: [...config.brokers],
    logLevel: logLevel.WARN,
    logCreator: kafkaLog,
    ...(config.sasl ? { sasl: { mechanism: 'scram-sha-512' as const, ...config.sasl } } : {}),
    // Only the configured CAs when there are any (Node then leaves out its own list), and
    // never an unverified connection: a broker that cannot prove its name is not the broker.
    ...(config.ssl
      ? {
          ssl: {
            rejectUnauthorized: true,
            ...(config.ssl.ca ? { ca: [...config.ssl.ca] } : {}),
          },
        }
      : {}),
    ...tuning,
  });
}

/**
 * A client for readiness probes, as the relay's user: one try with short timeouts, and quiet
 * (a probe every few seconds would repeat the relay's own outage warning in the log).
 */
export function probeKafkaClient(config: RelayConfig): Kafka {
  return kafkaClient(config, 'probe', {
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
}

/**
 * A client as the administrator (KAFKA_ADMIN_USERNAME/PASSWORD) to set the feed's ACLs, or
 * unauthenticated without them (a broker without SASL); never as the relay's own user.
 */
export function adminKafkaClient(config: RelayConfig, env: NodeJS.ProcessEnv = process.env): Kafka {
  const username = env['KAFKA_ADMIN_USERNAME']?.trim();
  const password = env['KAFKA_ADMIN_PASSWORD'];
  const { sasl: _relayUser, ...rest } = config;
  return kafkaClient(
    username && password ? { ...rest, sasl: { username, password } } : rest,
    'access',
  );
}

/**
 * A relay over the store's own database connection (PostgreSQL or the embedded store), or the
 * PostgreSQL database beside EventStoreDB. On a PostgreSQL server several relays may run: one
 * publishes under an advisory lock.
 */
export function createRelay(
  store: EventStore,
  config: RelayConfig,
  storeConfig?: EventStoreConfig,
): Relay {
  const databaseUrl = storeConfig ? postgresUrlOf(storeConfig) : undefined;
  const sql = databaseBesideLog(store);
  if (!sql) throw new Error('The relay needs PostgreSQL beside the log (or the embedded store)');
  const kafka = kafkaClient(config, 'relay');
  return new Relay(store, sql, kafka, {
    partnershipId: config.partnershipId,
    apiUrl: config.apiUrl,
    partitions: config.partitions,
    retentionMs: config.retentionMs,
    ...(databaseUrl
      ? { lease: new PostgresRelayLease(databaseUrl, relayLeaseKey(config.partnershipId)) }
      : {}),
  });
}
