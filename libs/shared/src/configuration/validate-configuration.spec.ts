import { choiceSetting, integerSetting, textSetting } from './read-setting';
import { PROCESSES, SETTINGS, settingNames, type Setting } from './settings';
import {
  problemLine,
  unknownSettings,
  validateConfiguration,
  type StructuredParsers,
} from './validate-configuration';

const KEY = 'k'.repeat(32);
/** A production API with everything it requires; each test breaks something. */
const server: NodeJS.ProcessEnv = {
  DATABASE_URL: 'postgres://app:s3cret-pw@db:5432/samverkan',
  SAMVERKAN_MASTER_KEYS: 'k1:AAAA',
  SAMVERKAN_SEAL_KEY: 'seal',
  SAMVERKAN_IDENTITY_KEY: KEY,
};
/** Stand-ins for the owners' parsers: each refuses the text "bad". */
const refuseBad = (value: string): void => {
  if (value === 'bad') throw new Error('is not what it should be');
};
const parsers: StructuredParsers = Object.fromEntries(
  settingNames()
    .filter((name) => SETTINGS[name].kind === 'structured')
    .map((name) => [name, refuseBad]),
);
const lines = (env: NodeJS.ProcessEnv, process: Parameters<typeof validateConfiguration>[1]) =>
  validateConfiguration(env, process, parsers).map(problemLine);

describe('validateConfiguration', () => {
  it('accepts a complete production configuration and an empty development one', () => {
    expect(lines(server, 'api')).toEqual([]);
    // apps/relay has nothing to do without brokers; everything else has a default.
    const minimal = { KAFKA_BROKERS: 'kafka:9092' };
    for (const process of PROCESSES) expect(lines(minimal, process)).toEqual([]);
  });

  it('names every bad variable at once, each with its rule and what it got', () => {
    expect(
      lines(
        {
          ...server,
          SAMVERKAN_RATE_LIMIT: 'abc',
          SAMVERKAN_RATE_LIMIT_PUBLIC: '0',
          SAMVERKAN_OPENAPI: 'yes',
          SAMVERKAN_PUBLIC_URL: 'samverkan.kommun.se',
          SAMVERKAN_API_KEYS: 'bad',
        },
        'api',
      ),
    ).toEqual([
      "SAMVERKAN_PUBLIC_URL: must be a URL (http:// or https://) such as https://samverkan.kommun.se, got 'samverkan.kommun.se'",
      "SAMVERKAN_OPENAPI: must be one of on, off, got 'yes'",
      "SAMVERKAN_RATE_LIMIT: must be an integer from 1 to 1000000, got 'abc'",
      "SAMVERKAN_RATE_LIMIT_PUBLIC: must be an integer from 1 to 1000000, got '0'",
      'SAMVERKAN_API_KEYS: is not what it should be',
    ]);
  });

  it("never prints a secret's value", () => {
    const env = {
      ...server,
      DATABASE_URL: 'mysql://app:s3cret-pw@db/samverkan',
      SAMVERKAN_IDENTITY_KEY: 'short-s3cret',
      KAFKA_BROKERS: 'kafka:9092',
      KAFKA_USERNAME: 'relay',
      KAFKA_PASSWORD: 'p4ssword',
    };
    const report = lines(env, 'api').join('\n');
    expect(report).toContain('DATABASE_URL: must be a URL (postgres:// or postgresql://)');
    expect(report).toContain('SAMVERKAN_IDENTITY_KEY: must be at least 32 characters, got 12');
    for (const secret of ['s3cret', 'p4ssword']) expect(report).not.toContain(secret);
  });

  it('keeps a structured secret out of its parser message', () => {
    const quoting: StructuredParsers = {
      ...parsers,
      SAMVERKAN_MASTER_KEYS: (value) => {
        throw new Error(`SAMVERKAN_MASTER_KEYS: '${value}' is wrong`);
      },
    };
    const [problem] = validateConfiguration(
      { ...server, SAMVERKAN_MASTER_KEYS: 'k1:TOPSECRET' },
      'projector',
      quoting,
    );
    expect(problem && problemLine(problem)).toBe(
      "SAMVERKAN_MASTER_KEYS: is not 'id:base64' entries of 32 bytes, comma-separated",
    );
  });

  it('checks only what the process reads', () => {
    const env = { SAMVERKAN_RATE_LIMIT: 'abc', SAMVERKAN_PROJECTOR_BATCH: '0' };
    expect(lines(env, 'api')).toEqual([
      "SAMVERKAN_RATE_LIMIT: must be an integer from 1 to 1000000, got 'abc'",
    ]);
    expect(lines(env, 'projector')).toEqual([
      "SAMVERKAN_PROJECTOR_BATCH: must be an integer from 1 to 10000, got '0'",
    ]);
  });

  it('holds the rules between variables', () => {
    expect(lines({ DATABASE_OWNER_URL: 'postgres://owner@db/s' }, 'cli')).toEqual([
      'DATABASE_OWNER_URL: only with DATABASE_URL: it names the owner of the PostgreSQL log that DATABASE_URL uses',
    ]);
    expect(lines({ EVENTSTOREDB_URL: 'esdb://a:2113,b:2113?tls=true' }, 'relay')).toEqual([
      'EVENTSTOREDB_URL: needs DATABASE_URL too (the read models and checkpoints stay on PostgreSQL)',
      'KAFKA_BROKERS: required by apps/relay: host:port of Kafka',
    ]);
    // Production by DATABASE_URL, or stated on the embedded store.
    expect(lines({ DATABASE_URL: server['DATABASE_URL'] }, 'api')).toEqual([
      "SAMVERKAN_MASTER_KEYS: required in production: 'id:base64' entries of 32 bytes (npm run keys -- new-master-key k1)",
      'SAMVERKAN_SEAL_KEY: required in production: the key that signs the sealed blocks (npm run audit -- new-seal-key)',
      'SAMVERKAN_IDENTITY_KEY: required with DATABASE_URL (a shared server): a key of 32 characters or more',
    ]);
    expect(lines({ SAMVERKAN_ENV: 'production', SAMVERKAN_LOCAL_OIDC: 'on' }, 'projector')).toEqual(
      [
        "SAMVERKAN_MASTER_KEYS: required in production: 'id:base64' entries of 32 bytes (npm run keys -- new-master-key k1)",
      ],
    );
    expect(
      lines({ ...server, SAMVERKAN_LOCAL_OIDC: 'on', KAFKA_ADMIN_USERNAME: 'admin' }, 'api'),
    ).toEqual([
      'SAMVERKAN_LOCAL_OIDC: on is refused in production: people sign in through SAMVERKAN_OIDC_ISSUERS',
    ]);
    expect(lines({ ...server, SAMVERKAN_ENV: 'development', KAFKA_PASSWORD: 'x' }, 'api')).toEqual([
      'SAMVERKAN_JWT_SECRET: required in development with DATABASE_URL: a key of 32 characters or more',
      'KAFKA_USERNAME: KAFKA_USERNAME and KAFKA_PASSWORD go together',
    ]);
  });

  it('points out a SAMVERKAN_ variable it does not know, most likely misspelt', () => {
    expect(
      unknownSettings({ SAMVERKAN_RATE_LIMT: '5', SAMVERKAN_RATE_LIMIT: '5', PATH: '/bin' }),
    ).toEqual(['SAMVERKAN_RATE_LIMT']);
  });

  it('refuses to pass over a structured variable whose parser the process forgot', () => {
    expect(() => validateConfiguration({ SAMVERKAN_API_KEYS: 'x' }, 'api', {})).toThrow(
      'No parser for SAMVERKAN_API_KEYS',
    );
  });
});

describe('the typed readers take their rules from the settings', () => {
  it('give the default when unset or blank, and the value when it holds', () => {
    expect(integerSetting({}, 'SAMVERKAN_RATE_LIMIT')).toBe(600);
    expect(integerSetting({ SAMVERKAN_RATE_LIMIT: ' ' }, 'SAMVERKAN_RATE_LIMIT')).toBe(600);
    expect(integerSetting({ SAMVERKAN_RATE_LIMIT: ' 42 ' }, 'SAMVERKAN_RATE_LIMIT')).toBe(42);
    expect(choiceSetting({}, 'SAMVERKAN_RETENTION')).toBeUndefined();
    expect(textSetting({}, 'SAMVERKAN_DATA_DIR')).toBe('./data');
  });

  it('throw the same message as the start-up check', () => {
    for (const value of ['abc', '1.5', '-1', '1e3', '0x10', '1000001']) {
      const env = { SAMVERKAN_RATE_LIMIT: value };
      const [problem] = validateConfiguration(env, 'api', parsers);
      expect(problem).toBeDefined();
      expect(() => integerSetting(env, 'SAMVERKAN_RATE_LIMIT')).toThrow(problemLine(problem!));
    }
  });

  it('agree with every setting: each default keeps its own rule', () => {
    for (const name of settingNames()) {
      const setting: Setting = SETTINGS[name];
      if (setting.default === undefined || setting.kind === 'structured') continue;
      expect([
        name,
        validateConfiguration(
          { KAFKA_BROKERS: 'kafka:9092', [name]: setting.default },
          setting.readBy[0]!,
          parsers,
        ),
      ]).toEqual([name, []]);
    }
  });
});
