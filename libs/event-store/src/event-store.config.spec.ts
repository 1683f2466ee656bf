import { describeEventStoreConfig, eventStoreConfigFromEnv } from './event-store.config';

describe('eventStoreConfigFromEnv', () => {
  it('defaults to the embedded store in ./data', () => {
    expect(eventStoreConfigFromEnv({})).toEqual({ adapter: 'embedded', dataDir: './data' });
    expect(eventStoreConfigFromEnv({ SAMVERKAN_DATA_DIR: '/var/lib/samverkan' })).toEqual({
      adapter: 'embedded',
      dataDir: '/var/lib/samverkan',
    });
  });

  it('selects PostgreSQL by DATABASE_URL and never logs its password', () => {
    const config = eventStoreConfigFromEnv({
      DATABASE_URL: 'postgres://app:secret@db:5432/samverkan',
      DATABASE_POOL_SIZE: '20',
    });
    expect(config).toEqual({
      adapter: 'postgres',
      connectionString: 'postgres://app:secret@db:5432/samverkan',
      poolSize: 20,
    });
    expect(describeEventStoreConfig(config)).toBe('PostgreSQL at db:5432/samverkan');
  });

  it('refuses a DATABASE_URL that is not PostgreSQL and a bad pool size', () => {
    expect(() => eventStoreConfigFromEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/postgres/);
    expect(() =>
      eventStoreConfigFromEnv({ DATABASE_URL: 'postgres://x/y', DATABASE_POOL_SIZE: '0' }),
    ).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('selects EventStoreDB by EVENTSTOREDB_URL, with PostgreSQL beside it, and never logs credentials', () => {
    const config = eventStoreConfigFromEnv({
      EVENTSTOREDB_URL: 'esdb://admin:changeit@eventstore:2113?tls=true',
      DATABASE_URL: 'postgres://app:secret@db:5432/samverkan',
    });
    expect(config).toEqual({
      adapter: 'eventstoredb',
      url: 'esdb://admin:changeit@eventstore:2113?tls=true',
      connectionString: 'postgres://app:secret@db:5432/samverkan',
      poolSize: 10,
    });
    const described = describeEventStoreConfig(config);
    expect(described).toBe(
      'EventStoreDB at esdb://eventstore:2113, PostgreSQL at db:5432/samverkan beside it',
    );
    expect(described).not.toMatch(/changeit|secret|admin/);
    const cluster = eventStoreConfigFromEnv({
      EVENTSTOREDB_URL: 'esdb+discover://ops:p@ss@node1:2113,node2:2113?tls=true',
      DATABASE_URL: 'postgres://db/samverkan',
    });
    expect(describeEventStoreConfig(cluster)).toMatch(
      /^EventStoreDB at esdb\+discover:\/\/node1:2113,node2:2113, /,
    );
  });

  it('refuses EVENTSTOREDB_URL without DATABASE_URL, saying what lives in PostgreSQL', () => {
    expect(() => eventStoreConfigFromEnv({ EVENTSTOREDB_URL: 'esdb://eventstore:2113' })).toThrow(
      /DATABASE_URL too: .*idempotency keys.*personal data.*read models/,
    );
    expect(() =>
      eventStoreConfigFromEnv({
        EVENTSTOREDB_URL: 'http://eventstore:2113',
        DATABASE_URL: 'postgres://db/samverkan',
      }),
    ).toThrow(/EVENTSTOREDB_URL: must be a URL \(esdb:\/\//);
  });
});
