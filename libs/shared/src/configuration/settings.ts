/**
 * Every environment variable the platform reads: its rule, its default and which processes read
 * it. One table, so that a process checks all of its variables before it starts
 * (validate-configuration.ts), the typed readers take their ranges and defaults from here
 * (read-setting.ts), and a test holds the README's Configuration table to it.
 *
 * A declarative table rather than a zod schema: the README test and the start-up report need
 * each variable's rule as data (its range, its choices, whether it is a secret), and zod keeps
 * those inside its validators; its messages would need rewriting to name the variable and to
 * leave out a secret's value anyway.
 */

/** The processes that read configuration: the three apps and the CLIs that open the store. */
export const PROCESSES = ['api', 'projector', 'relay', 'cli'] as const;
export type ConfiguredProcess = (typeof PROCESSES)[number];

interface Common {
  readonly readBy: readonly ConfiguredProcess[];
  /** The value used when the variable is unset or empty, as written in the variable. */
  readonly default?: string;
  /** When the default follows from other variables: what the README says it is. */
  readonly derivedDefault?: string;
  /** Its value is never printed, not even in a refusal. */
  readonly secret?: true;
}

export type Setting = Common &
  (
    | { readonly kind: 'integer'; readonly min: number; readonly max: number }
    | { readonly kind: 'choice'; readonly values: readonly string[] }
    | {
        readonly kind: 'url';
        /** Schemes without the colon, e.g. `postgres`. */
        readonly schemes: readonly string[];
        readonly example: string;
        /** `none` is accepted and means "no such URL". */
        readonly noneAllowed?: true;
      }
    | {
        readonly kind: 'text';
        readonly minLength?: number;
        readonly pattern?: { readonly regex: RegExp; readonly description: string };
      }
    | {
        /** A value with structure of its own (keys, JSON, agency lists): its owner parses it. */
        readonly kind: 'structured';
        readonly format: string;
      }
  );

const ALL: readonly ConfiguredProcess[] = PROCESSES;
const STORE: readonly ConfiguredProcess[] = ALL;
const API: readonly ConfiguredProcess[] = ['api'];
const FEED: readonly ConfiguredProcess[] = ['api', 'relay'];
const RELAY: readonly ConfiguredProcess[] = ['relay'];
const SERVERS: readonly ConfiguredProcess[] = ['api', 'projector', 'relay'];
const ON_OFF = ['on', 'off'] as const;

const port = (
  readBy: readonly ConfiguredProcess[],
  fallback?: string,
): Setting & { readonly kind: 'integer' } => ({
  kind: 'integer',
  min: 0,
  max: 65535,
  readBy,
  ...(fallback === undefined ? {} : { default: fallback }),
});

export const SETTINGS = {
  // The event store.
  DATABASE_URL: {
    kind: 'url',
    schemes: ['postgres', 'postgresql'],
    example: 'postgres://user:pass@host:5432/db',
    readBy: STORE,
    secret: true,
  },
  DATABASE_POOL_SIZE: { kind: 'integer', min: 1, max: 200, default: '10', readBy: STORE },
  DATABASE_OWNER_URL: {
    kind: 'url',
    schemes: ['postgres', 'postgresql'],
    example: 'postgres://owner:pass@host:5432/db',
    readBy: STORE,
    secret: true,
  },
  EVENTSTOREDB_URL: {
    kind: 'url',
    schemes: [
      'esdb',
      'esdb+discover',
      'kurrentdb',
      'kurrentdb+discover',
      'kurrent',
      'kurrent+discover',
      'kdb',
      'kdb+discover',
    ],
    example: 'esdb://eventstoredb:2113?tls=true',
    readBy: STORE,
    secret: true,
  },
  SAMVERKAN_DATA_DIR: { kind: 'text', default: './data', readBy: STORE },
  SAMVERKAN_ERASURE_LEDGER: {
    kind: 'structured',
    format: 'a file path or a postgres:// URL',
    derivedDefault: '`<data folder>.erasure-ledger.jsonl`; PostgreSQL: schema `erasure_ledger`',
    readBy: STORE,
    // A postgres:// URL may carry a password.
    secret: true,
  },
  SAMVERKAN_ENV: {
    kind: 'choice',
    values: ['development', 'production'],
    derivedDefault: '`development` on the embedded store, `production` with `DATABASE_URL`',
    readBy: ALL,
  },
  SAMVERKAN_MASTER_KEYS: {
    kind: 'structured',
    format: "'id:base64' entries of 32 bytes, comma-separated",
    readBy: STORE,
    secret: true,
  },
  SAMVERKAN_SEAL_KEY: {
    kind: 'structured',
    format: 'an Ed25519 private key, PKCS#8 PEM or base64 DER',
    readBy: ['api', 'cli'],
    secret: true,
  },
  SAMVERKAN_SEAL_PUBLIC_KEYS: {
    kind: 'structured',
    format: 'Ed25519 public keys, base64 SPKI DER, comma-separated',
    readBy: ['api', 'cli'],
  },
  SAMVERKAN_SEAL_INTERVAL_SECONDS: {
    kind: 'integer',
    min: 1,
    max: 3600,
    default: '10',
    readBy: API,
  },
  SAMVERKAN_SECURITY_LOG_DAYS: { kind: 'integer', min: 1, max: 3650, default: '90', readBy: API },

  // Gallring. Whole years from 1: 0 would gallra last year's data on New Year's Day; at most a
  // week between runs, so a year's data is gallrad within days of its period's end.
  SAMVERKAN_RETENTION: {
    kind: 'choice',
    values: ON_OFF,
    derivedDefault: '`on` in production, `off` in development',
    readBy: API,
  },
  SAMVERKAN_RETENTION_PREVENTION_TALKS_YEARS: {
    kind: 'integer',
    min: 1,
    max: 50,
    default: '3',
    readBy: API,
  },
  SAMVERKAN_RETENTION_RESTRICTED_REPORTS_YEARS: {
    kind: 'integer',
    min: 1,
    max: 50,
    default: '2',
    readBy: API,
  },
  SAMVERKAN_RETENTION_READ_ACCESS_LOG_YEARS: {
    kind: 'integer',
    min: 1,
    max: 50,
    default: '2',
    readBy: API,
  },
  SAMVERKAN_RETENTION_INTERVAL_HOURS: {
    kind: 'integer',
    min: 1,
    max: 168,
    default: '24',
    readBy: API,
  },

  // The API's HTTP server and the web app.
  PORT: port(FEED, '3000'),
  HOST: { kind: 'text', default: '127.0.0.1', readBy: API },
  SAMVERKAN_PUBLIC_URL: {
    kind: 'url',
    schemes: ['http', 'https'],
    example: 'https://samverkan.kommun.se',
    derivedDefault: 'http://localhost:<PORT>',
    readBy: FEED,
  },
  SAMVERKAN_TRUST_PROXY: { kind: 'text', readBy: API },
  SAMVERKAN_OPENAPI: { kind: 'choice', values: ON_OFF, default: 'on', readBy: API },
  SAMVERKAN_WEB_DIR: { kind: 'text', default: 'dist/apps/web', readBy: API },
  SAMVERKAN_MAP_TILE_URL: {
    kind: 'structured',
    format: 'an https URL template with {z}/{x}/{y}, or none',
    default: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    readBy: API,
  },
  SAMVERKAN_MAP_ATTRIBUTION: {
    kind: 'text',
    default: '© OpenStreetMap-bidragsgivare',
    readBy: API,
  },
  SAMVERKAN_MAP_ATTRIBUTION_URL: {
    kind: 'url',
    schemes: ['http', 'https'],
    example: 'https://www.openstreetmap.org/copyright',
    noneAllowed: true,
    default: 'https://www.openstreetmap.org/copyright',
    readBy: API,
  },
  SAMVERKAN_LIVE_RECHECK_SECONDS: {
    kind: 'integer',
    min: 1,
    max: 300,
    default: '15',
    readBy: API,
  },
  SAMVERKAN_RATE_LIMIT: { kind: 'integer', min: 1, max: 1_000_000, default: '600', readBy: API },
  SAMVERKAN_RATE_LIMIT_PUBLIC: {
    kind: 'integer',
    min: 1,
    max: 1_000_000,
    default: '120',
    readBy: API,
  },
  SAMVERKAN_RATE_LIMIT_WINDOW: {
    kind: 'integer',
    min: 1,
    max: 1_000_000,
    default: '60',
    readBy: API,
  },
  SAMVERKAN_CITIZEN_DIALOGUE_RETENTION_DAYS: {
    kind: 'integer',
    min: 1,
    max: 365,
    default: '30',
    readBy: API,
  },
  SAMVERKAN_CITIZEN_DIALOGUE_RATE_LIMIT: {
    kind: 'integer',
    min: 1,
    max: 1_000_000,
    default: '5',
    readBy: API,
  },
  SAMVERKAN_SEED: {
    kind: 'choice',
    values: ['auto', 'off'],
    derivedDefault: '`auto` on the embedded store, `off` with `DATABASE_URL`',
    readBy: API,
  },
  SAMVERKAN_PROJECTIONS: {
    kind: 'choice',
    values: ['in-process', 'off'],
    default: 'in-process',
    readBy: API,
  },
  SAMVERKAN_PARTNERSHIP_ID: { kind: 'text', default: 'hammaro', readBy: FEED },

  // Signing in.
  SAMVERKAN_JWT_SECRET: {
    kind: 'text',
    minLength: 32,
    derivedDefault:
      'made on first start in the data folder (embedded); **required** in development with `DATABASE_URL`',
    readBy: API,
    secret: true,
  },
  SAMVERKAN_IDENTITY_KEY: {
    kind: 'text',
    minLength: 32,
    derivedDefault:
      'made on first start in the data folder (embedded); **required** with `DATABASE_URL`',
    readBy: API,
    secret: true,
  },
  // Secret: an entry may hold its client secret inline (rather than clientSecretEnv).
  SAMVERKAN_OIDC_ISSUERS: {
    kind: 'structured',
    format: 'a JSON list of issuers',
    readBy: API,
    secret: true,
  },
  SAMVERKAN_LOCAL_OIDC: {
    kind: 'choice',
    values: ON_OFF,
    derivedDefault: '`on` in development',
    readBy: API,
  },
  SAMVERKAN_SESSION_IDLE_MINUTES: {
    kind: 'integer',
    min: 1,
    max: 24 * 60,
    default: '30',
    readBy: API,
  },
  SAMVERKAN_SESSION_HOURS: { kind: 'integer', min: 1, max: 24 * 7, default: '10', readBy: API },
  SAMVERKAN_API_AUDIENCE: { kind: 'text', default: 'samverkan-api', readBy: API },
  SAMVERKAN_JWKS_COOLDOWN_SECONDS: {
    kind: 'integer',
    // 0: fetch again at every unknown key id (tests of a key rotation).
    min: 0,
    max: 3600,
    default: '30',
    readBy: API,
  },
  SAMVERKAN_API_KEYS: {
    kind: 'structured',
    format: '<system-id>:<agency>:<sha256-of-key>, comma-separated',
    readBy: API,
  },

  // The processes beside the API.
  SAMVERKAN_PROJECTOR_PORT: port(['projector'], '3001'),
  SAMVERKAN_PROJECTOR_BATCH: {
    kind: 'integer',
    min: 1,
    max: 10_000,
    default: '500',
    readBy: ['projector'],
  },
  SAMVERKAN_RELAY: {
    kind: 'choice',
    values: ON_OFF,
    derivedDefault: 'on when `KAFKA_BROKERS` is set',
    readBy: API,
  },
  SAMVERKAN_RELAY_PORT: port(RELAY, '3002'),

  // Operations, for every server process.
  SAMVERKAN_LOG_LEVEL: {
    kind: 'choice',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    readBy: ALL,
  },
  SAMVERKAN_METRICS_PORT: port(SERVERS),
  SAMVERKAN_SHUTDOWN_GRACE_SECONDS: {
    kind: 'integer',
    min: 1,
    max: 600,
    default: '10',
    readBy: SERVERS,
  },

  // The feed (Kafka).
  KAFKA_BROKERS: {
    kind: 'text',
    pattern: {
      regex: /^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/,
      description: 'host:port entries, comma-separated',
    },
    readBy: FEED,
  },
  KAFKA_USERNAME: { kind: 'text', readBy: FEED },
  KAFKA_PASSWORD: { kind: 'text', readBy: FEED, secret: true },
  KAFKA_TOPIC_PARTITIONS: { kind: 'integer', min: 1, max: 1000, default: '3', readBy: FEED },
  KAFKA_RETENTION_DAYS: { kind: 'integer', min: 1, max: 3650, default: '30', readBy: FEED },
  KAFKA_RESTRICTED_RETENTION_DAYS: {
    kind: 'integer',
    min: 1,
    max: 3650,
    default: '7',
    readBy: FEED,
  },
  KAFKA_SSL: { kind: 'choice', values: ON_OFF, default: 'off', readBy: FEED },
  KAFKA_SSL_CA_FILE: { kind: 'text', readBy: FEED },
  KAFKA_AGENCY_USERS: {
    kind: 'structured',
    format: 'agency=user entries, comma-separated',
    readBy: RELAY,
  },
  KAFKA_RELAY_USER: { kind: 'text', derivedDefault: 'KAFKA_USERNAME', readBy: RELAY },
  KAFKA_ADMIN_USERNAME: { kind: 'text', readBy: RELAY },
  KAFKA_ADMIN_PASSWORD: { kind: 'text', readBy: RELAY, secret: true },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

type NamesOfKind<K extends Setting['kind']> = {
  [N in SettingName]: (typeof SETTINGS)[N] extends { readonly kind: K } ? N : never;
}[SettingName];

export type IntegerSettingName = NamesOfKind<'integer'>;
export type ChoiceSettingName = NamesOfKind<'choice'>;
export type TextSettingName = NamesOfKind<'text' | 'url' | 'structured'>;
export type StructuredSettingName = NamesOfKind<'structured'>;

/** The values a choice allows, as a type: `'on' | 'off'` for SAMVERKAN_RETENTION. */
export type ChoiceOf<N extends ChoiceSettingName> = (typeof SETTINGS)[N] extends {
  readonly values: readonly (infer V)[];
}
  ? V
  : never;

export const settingNames = (): SettingName[] => Object.keys(SETTINGS) as SettingName[];

export const isSettingName = (name: string): name is SettingName =>
  Object.prototype.hasOwnProperty.call(SETTINGS, name);

export const settingOf = (name: SettingName): Setting => SETTINGS[name];
