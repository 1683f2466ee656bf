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
});
