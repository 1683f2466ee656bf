import { AGENCIES } from '@samverkan/domain/agencies/agencies';
import { AclOperationTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { agencyTopic, sharedTopic } from '../relay/feed-audience';
import { aclsFor, brokerAccessFromEnv } from './broker-access';

describe('broker access', () => {
  const access = brokerAccessFromEnv({
    KAFKA_USERNAME: 'relay',
    KAFKA_AGENCY_USERS: 'police=police-system, social-services=socialtjanst-system',
  });

  it('reads the relay user and one Kafka user per agency system from the environment', () => {
    expect(access.relayUser).toBe('relay');
    expect([...access.agencyUsers]).toEqual([
      ['police', 'police-system'],
      ['social-services', 'socialtjanst-system'],
    ]);
  });

  it.each([
    ['an unknown agency', { KAFKA_USERNAME: 'r', KAFKA_AGENCY_USERS: 'polis=p' }, /unknown agency/],
    [
      'an agency named twice',
      { KAFKA_USERNAME: 'r', KAFKA_AGENCY_USERS: 'police=a,police=b' },
      /twice/,
    ],
    [
      'one user for two agencies',
      { KAFKA_USERNAME: 'r', KAFKA_AGENCY_USERS: 'police=a,school=a' },
      /used twice/,
    ],
    [
      'the relay user as an agency system',
      { KAFKA_USERNAME: 'r', KAFKA_AGENCY_USERS: 'police=r' },
      /used twice/,
    ],
    ['an entry without =', { KAFKA_USERNAME: 'r', KAFKA_AGENCY_USERS: 'police' }, /agency=user/],
    ['no relay user', { KAFKA_AGENCY_USERS: 'police=p' }, /KAFKA_RELAY_USER/],
    // A dot would let user `police` join `police.system`'s groups (`police.*`).
    [
      'a user name with a dot',
      { KAFKA_USERNAME: 'r', KAFKA_AGENCY_USERS: 'police=police.system' },
      /not a user name/,
    ],
  ])('refuses %s', (_what, env, message) => {
    expect(() => brokerAccessFromEnv(env)).toThrow(message);
  });

  it('lets each agency system read exactly the shared topic and its own two, and write nothing', () => {
    const acls = aclsFor('hammaro', access);
    for (const [agency, user] of access.agencyUsers) {
      const own = acls.filter((a) => a.principal === `User:${user}`);
      const readTopics = own
        .filter(
          (a) =>
            a.resourceType === AclResourceTypes.TOPIC && a.operation === AclOperationTypes.READ,
        )
        .map((a) => [a.resourceName, a.resourcePatternType]);
      expect(readTopics).toEqual([
        [sharedTopic('hammaro'), ResourcePatternTypes.LITERAL],
        [agencyTopic('hammaro', agency, false), ResourcePatternTypes.LITERAL],
        [agencyTopic('hammaro', agency, true), ResourcePatternTypes.LITERAL],
      ]);
      expect(own.some((a) => a.operation === AclOperationTypes.WRITE)).toBe(false);
      expect(own.some((a) => a.resourceType === AclResourceTypes.CLUSTER)).toBe(false);
    }
    // Agencies without a system named get nothing at all.
    const named = new Set(access.agencyUsers.keys());
    for (const agency of AGENCIES.filter((a) => !named.has(a))) {
      expect(acls.some((a) => a.resourceName.includes(`.${agency}.`))).toBe(false);
    }
  });

  it("lets the relay write and create the partnership's topics and read none", () => {
    const relay = aclsFor('hammaro', access).filter((a) => a.principal === 'User:relay');
    expect(relay.some((a) => a.operation === AclOperationTypes.READ)).toBe(false);
    expect(
      relay
        .filter((a) => a.resourceType === AclResourceTypes.TOPIC)
        .every(
          (a) =>
            a.resourceName === 'samverkan.hammaro.' &&
            a.resourcePatternType === ResourcePatternTypes.PREFIXED,
        ),
    ).toBe(true);
  });
});
