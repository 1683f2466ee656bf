import { retentionConfigFromEnv } from './retention-config';

describe('gallring configuration', () => {
  it('given nothing set, keeps talks 3 years, restricted reports and reads 2, and runs daily', () => {
    expect(retentionConfigFromEnv({ SAMVERKAN_ENV: 'production' })).toEqual({
      scheduled: true,
      periods: { 'prevention-talks': 3, 'restricted-reports': 2, 'read-access-log': 2 },
      intervalHours: 24,
    });
  });

  it('runs by default in production only: development keeps its dated demo data', () => {
    expect(retentionConfigFromEnv({ SAMVERKAN_ENV: 'development' }).scheduled).toBe(false);
    expect(retentionConfigFromEnv({ DATABASE_URL: 'postgres://x/y' }).scheduled).toBe(true);
    expect(
      retentionConfigFromEnv({ SAMVERKAN_ENV: 'development', SAMVERKAN_RETENTION: 'on' }).scheduled,
    ).toBe(true);
    expect(
      retentionConfigFromEnv({ SAMVERKAN_ENV: 'production', SAMVERKAN_RETENTION: 'off' }).scheduled,
    ).toBe(false);
  });

  it('takes each period and the interval from its own variable', () => {
    const config = retentionConfigFromEnv({
      SAMVERKAN_RETENTION_PREVENTION_TALKS_YEARS: '5',
      SAMVERKAN_RETENTION_RESTRICTED_REPORTS_YEARS: ' 1 ',
      SAMVERKAN_RETENTION_READ_ACCESS_LOG_YEARS: '10',
      SAMVERKAN_RETENTION_INTERVAL_HOURS: '6',
    });
    expect(config.periods).toEqual({
      'prevention-talks': 5,
      'restricted-reports': 1,
      'read-access-log': 10,
    });
    expect(config.intervalHours).toBe(6);
  });

  it.each([
    ['SAMVERKAN_RETENTION_PREVENTION_TALKS_YEARS', '0'],
    ['SAMVERKAN_RETENTION_PREVENTION_TALKS_YEARS', '2.5'],
    ['SAMVERKAN_RETENTION_RESTRICTED_REPORTS_YEARS', 'two'],
    ['SAMVERKAN_RETENTION_READ_ACCESS_LOG_YEARS', '51'],
    ['SAMVERKAN_RETENTION_INTERVAL_HOURS', '0'],
    ['SAMVERKAN_RETENTION_INTERVAL_HOURS', '169'],
    ['SAMVERKAN_RETENTION', 'yes'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => retentionConfigFromEnv({ [name]: value })).toThrow(name);
  });
});
