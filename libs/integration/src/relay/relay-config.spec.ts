import { feedConfigFromEnv, relayConfigFromEnv } from './relay-config';

describe('the relay configuration', () => {
  it('is off without brokers, and off in this process with SAMVERKAN_RELAY=off while the feed is still described', () => {
    expect(relayConfigFromEnv({})).toBeUndefined();
    const env = { KAFKA_BROKERS: 'k1:9092, k2:9092', SAMVERKAN_RELAY: 'off' };
    expect(relayConfigFromEnv(env)).toBeUndefined();
    expect(feedConfigFromEnv(env)).toMatchObject({
      brokers: ['k1:9092', 'k2:9092'],
      partnershipId: 'hammaro',
      partitions: 3,
      retentionMs: { events: 30 * 86_400_000, restricted: 7 * 86_400_000 },
    });
  });

  it.each([
    [{ KAFKA_TOPIC_PARTITIONS: '0' }, /KAFKA_TOPIC_PARTITIONS/],
    [{ KAFKA_RESTRICTED_RETENTION_DAYS: 'a week' }, /KAFKA_RESTRICTED_RETENTION_DAYS/],
    [{ KAFKA_USERNAME: 'relay' }, /go together/],
    [{ KAFKA_SSL: 'yes' }, /KAFKA_SSL: must be one of/],
    [{ KAFKA_SSL_CA_FILE: '/etc/kafka/ca.pem' }, /KAFKA_SSL is not on/],
  ])('refuses %j', (extra, message) => {
    expect(() => relayConfigFromEnv({ KAFKA_BROKERS: 'k:9092', ...extra })).toThrow(message);
  });

  it('speaks TLS only when asked, then with the system CAs unless a CA file is named', () => {
    const brokers = { KAFKA_BROKERS: 'k:9093' };
    expect(feedConfigFromEnv(brokers)?.ssl).toBeUndefined();
    expect(feedConfigFromEnv({ ...brokers, KAFKA_SSL: 'off' })?.ssl).toBeUndefined();
    expect(feedConfigFromEnv({ ...brokers, KAFKA_SSL: 'on' })?.ssl).toEqual({});
  });

  it('names the API for the messages’ dataref: SAMVERKAN_PUBLIC_URL without its trailing slash, else localhost on PORT', () => {
    const brokers = { KAFKA_BROKERS: 'k:9092' };
    expect(feedConfigFromEnv(brokers)?.apiUrl).toBe('http://localhost:3000');
    expect(feedConfigFromEnv({ ...brokers, PORT: '8080' })?.apiUrl).toBe('http://localhost:8080');
    expect(
      feedConfigFromEnv({ ...brokers, SAMVERKAN_PUBLIC_URL: 'https://kommun.example/samverkan/' })
        ?.apiUrl,
    ).toBe('https://kommun.example/samverkan');
    expect(() => feedConfigFromEnv({ ...brokers, SAMVERKAN_PUBLIC_URL: 'kommun.example' })).toThrow(
      /SAMVERKAN_PUBLIC_URL/,
    );
  });
});
