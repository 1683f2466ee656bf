import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isSettingName } from './settings';

/**
 * docker-compose.yml cannot run here (no Docker): these checks hold it to the deployment's
 * rules instead. Nothing but the API published; every password required, none defaulted; no
 * super user where an agency system can sign in; EventStoreDB opt-in and over TLS.
 */

interface Service {
  readonly image?: string;
  readonly build?: unknown;
  readonly profiles?: readonly string[];
  readonly ports?: readonly string[];
  readonly environment?: Readonly<Record<string, string | number>>;
  readonly command?: unknown;
  readonly volumes?: readonly string[];
}

const root = join(__dirname, '../../../..');
const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
// uniqueKeys: a key given twice (two `volumes:` in one service) is an error, not a silent loss.
const compose = parse(text, { uniqueKeys: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
const environment = (name: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(compose.services[name]?.environment ?? {}).map(([k, v]) => [k, String(v)]),
  );

/** Every `${…}` in a value, with its variable and its operator (`:?`, `:-`, or none). */
const substitutions = (value: string) =>
  [...value.matchAll(/\$\{([A-Z0-9_]+)(:?[?-])?([^}]*)\}/g)].map((m) => ({
    variable: m[1]!,
    operator: m[2] ?? '',
    rest: m[3] ?? '',
  }));

const SECRET = /PASSWORD|SECRET|_KEYS?$|_URL$|ISSUERS/;

describe('docker-compose.yml', () => {
  it('publishes no database or broker port by default', () => {
    for (const name of ['postgres', 'kafka', 'eventstoredb']) {
      expect([name, compose.services[name]?.ports]).toEqual([name, undefined]);
    }
    // Only the API is reached from outside.
    expect(services.filter(([, s]) => s.ports).map(([name]) => name)).toEqual(['api']);
  });

  it('requires every password and secret, defaulting none', () => {
    const found: string[] = [];
    for (const [service, { environment: env = {} }] of services) {
      for (const [key, raw] of Object.entries(env)) {
        const value = String(raw);
        const uses = substitutions(value);
        const secretKey = SECRET.test(key) || /password=/.test(value);
        // A literal secret: no `${…}` at all where a password or key belongs.
        if (secretKey && uses.length === 0 && !/^postgres:|^http/.test(value)) {
          found.push(`${service}.${key} is written out`);
        }
        for (const use of uses) {
          const secretVariable =
            SECRET.test(use.variable) && use.variable !== 'SAMVERKAN_PUBLIC_URL';
          if (!secretVariable) continue;
          // `${EVENTSTOREDB_URL:-}`: unset unless given, never a value anyone could guess.
          if (use.operator === ':-' && use.rest === '') continue;
          if (use.operator !== ':?' || use.rest.trim() === '') {
            found.push(`${service}.${key}: \${${use.variable}${use.operator}${use.rest}}`);
          }
        }
      }
    }
    expect(found).toEqual([]);
    // And the database URLs carry their passwords from .env.
    expect(environment('api')['DATABASE_URL']).toContain('${SAMVERKAN_APP_PASSWORD:?');
    expect(environment('api')['DATABASE_OWNER_URL']).toContain('${POSTGRES_PASSWORD:?');
    expect(environment('postgres')['POSTGRES_PASSWORD']).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });

  it('lets no super user sign in on the listener published for agency systems', () => {
    const kafka = environment('kafka');
    const superUsers = (kafka['KAFKA_SUPER_USERS'] ?? '')
      .split(';')
      .map((u) => u.replace(/^User:/, ''));
    expect(superUsers).toEqual(['admin', 'controller']);
    const advertised = (kafka['KAFKA_ADVERTISED_LISTENERS'] ?? '').split(',');
    // Published: advertised under a name other than the service's own (clients from outside).
    const published = advertised
      .map((entry) => /^([A-Z_]+):\/\/([^:]+):\d+$/.exec(entry))
      .filter((m): m is RegExpExecArray => m !== null && m[2] !== 'kafka')
      .map((m) => m[1]!);
    expect(published).toEqual(['EXTERNAL']);
    for (const listener of published) {
      const prefix = `KAFKA_LISTENER_NAME_${listener}_`;
      expect(kafka[`${prefix}SASL_ENABLED_MECHANISMS`]).toBe('SCRAM-SHA-512');
      // No PLAIN users of its own.
      const own = Object.entries(kafka).filter(([k]) => k.startsWith(prefix));
      for (const [, value] of own) expect(value).not.toMatch(/user_|username=/);
    }
    // SCRAM users sign in on every SCRAM listener: none of them may be a super user.
    const scramUsers = (environment('kafka-users')['USERS'] ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((entry) => entry.split('=')[0]);
    expect(scramUsers.length).toBeGreaterThan(0);
    expect(scramUsers.filter((u) => superUsers.includes(u!))).toEqual([]);
    // The ACL job signs in as one of those SCRAM users.
    expect(scramUsers).toContain(environment('kafka-access')['KAFKA_ADMIN_USERNAME']);
  });

  it('offers EventStoreDB only on request, and only over TLS', () => {
    const esdb = compose.services['eventstoredb']!;
    expect(esdb.profiles).toEqual(['eventstoredb']);
    const env = environment('eventstoredb');
    expect(env['EVENTSTORE_INSECURE']).toBeUndefined();
    expect(JSON.stringify(esdb)).not.toMatch(/insecure/i);
    expect(env['EVENTSTORE_CERTIFICATE_FILE']).toBeDefined();
    expect(esdb.volumes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\.\/docker\/eventstoredb-certs:.*:ro$/)]),
    );
    for (const app of ['api', 'projector', 'relay']) {
      expect([app, environment(app)['EVENTSTOREDB_URL']]).toEqual([app, '${EVENTSTOREDB_URL:-}']);
    }
  });

  it('mounts the PostgreSQL init script and keeps the data in a volume', () => {
    expect(compose.services['postgres']?.volumes).toEqual([
      './docker/postgres-init.sh:/docker-entrypoint-initdb.d/10-app-role.sh:ro',
      'postgres-data:/var/lib/postgresql/data',
    ]);
  });

  it("gives the platform's processes only variables the configuration knows", () => {
    const unknown = ['api', 'projector', 'relay', 'kafka-access'].flatMap((name) =>
      Object.keys(environment(name)).filter((key) => !isSettingName(key)),
    );
    expect(unknown).toEqual([]);
  });

  it('names every required variable in .env.example, with no value filled in', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const required = new Set(
      [...JSON.stringify(compose).matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]!),
    );
    for (const variable of required) {
      expect([variable, new RegExp(`^${variable}=$`, 'm').test(example)]).toEqual([variable, true]);
    }
  });
});

describe('.dockerignore', () => {
  it('keeps secrets, local data and build output out of the image', () => {
    const entries = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(entries).toEqual(
      expect.arrayContaining([
        '.env',
        '.env.*',
        '!.env.example',
        '.kafka-local',
        'data',
        'node_modules',
        'dist',
        'test-output',
        'docker/eventstoredb-certs',
      ]),
    );
  });
});
