import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
  type Kafka,
} from 'kafkajs';
import { agencyTopics } from '../relay/feed-audience';

/**
 * Access to the feed, enforced by the broker (SASL/SCRAM users, deny unless an ACL allows), so
 * that an agency's system cannot read another agency's topics even if it tries: the relay's
 * choice of topics is one guard, the broker's ACLs the other.
 */
export interface BrokerAccess {
  /** The Kafka user the relay connects as: writes (and creates) the partnership's topics. */
  readonly relayUser: string;
  /** Each agency system's Kafka user: reads the shared topic and its agency's two, nothing else. */
  readonly agencyUsers: ReadonlyMap<AgencyCode, string>;
}

// No dots: an agency system's consumer groups are `<user>.*`, so a user `police` with dots
// allowed could join the groups of a user `police.system`.
const USER = /^[A-Za-z0-9_-]+$/;

/**
 * From KAFKA_RELAY_USER (default KAFKA_USERNAME) and KAFKA_AGENCY_USERS, e.g.
 * `police=police-system,social-services=socialtjanst-system`.
 */
export function brokerAccessFromEnv(env: NodeJS.ProcessEnv = process.env): BrokerAccess {
  const relayUser = (env['KAFKA_RELAY_USER'] ?? env['KAFKA_USERNAME'] ?? '').trim();
  if (!USER.test(relayUser)) {
    throw new Error("KAFKA_RELAY_USER (or KAFKA_USERNAME) must name the relay's Kafka user");
  }
  return { relayUser, agencyUsers: agencyUsersOf(env['KAFKA_AGENCY_USERS'] ?? '', relayUser) };
}

/**
 * KAFKA_AGENCY_USERS, e.g. `police=police-system,school=skola-system`: one user per agency
 * system, none of them the relay's.
 */
export function agencyUsersOf(text: string, relayUser: string): Map<AgencyCode, string> {
  const agencyUsers = new Map<AgencyCode, string>();
  const users = new Set<string>([relayUser]);
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (!entry) continue;
    const [agency, user, ...rest] = entry.split('=').map((p) => p.trim());
    if (!agency || !user || rest.length > 0) {
      throw new Error(`KAFKA_AGENCY_USERS: "${entry}" is not agency=user`);
    }
    if (!(AGENCIES as readonly string[]).includes(agency)) {
      throw new Error(
        `KAFKA_AGENCY_USERS: unknown agency "${agency}" (one of ${AGENCIES.join(', ')})`,
      );
    }
    if (!USER.test(user)) throw new Error(`KAFKA_AGENCY_USERS: "${user}" is not a user name`);
    if (agencyUsers.has(agency as AgencyCode)) {
      throw new Error(`KAFKA_AGENCY_USERS: ${agency} is named twice`);
    }
    // One user per agency system: a shared user would read the union of two agencies' topics.
    if (users.has(user)) throw new Error(`KAFKA_AGENCY_USERS: user "${user}" is used twice`);
    users.add(user);
    agencyUsers.set(agency as AgencyCode, user);
  }
  return agencyUsers;
}

/** The consumer groups an agency system may use: its user name, a dot, anything. */
export const consumerGroupPrefix = (user: string): string => `${user}.`;

const allow = (
  user: string,
  resourceType: AclResourceTypes,
  resourceName: string,
  resourcePatternType: ResourcePatternTypes,
  operation: AclOperationTypes,
): AclEntry => ({
  principal: `User:${user}`,
  host: '*',
  resourceType,
  resourceName,
  resourcePatternType,
  operation,
  permissionType: AclPermissionTypes.ALLOW,
});

/** The partnership's topics all start with this (see agencyTopic). */
export const partnershipTopicPrefix = (partnershipId: string): string =>
  `samverkan.${partnershipId}.`;

/** Every ACL the partnership's feed needs, and nothing more. */
export function aclsFor(partnershipId: string, access: BrokerAccess): AclEntry[] {
  const prefix = partnershipTopicPrefix(partnershipId);
  const { TOPIC, GROUP, CLUSTER } = AclResourceTypes;
  const { LITERAL, PREFIXED } = ResourcePatternTypes;
  const op = AclOperationTypes;
  const relay = access.relayUser;
  const acls: AclEntry[] = [
    allow(relay, TOPIC, prefix, PREFIXED, op.WRITE),
    allow(relay, TOPIC, prefix, PREFIXED, op.DESCRIBE),
    allow(relay, TOPIC, prefix, PREFIXED, op.CREATE),
    // Brokers before 2.8 ask for it for an idempotent producer; later ones accept WRITE.
    allow(relay, CLUSTER, 'kafka-cluster', LITERAL, op.IDEMPOTENT_WRITE),
  ];
  for (const [agency, user] of access.agencyUsers) {
    // The shared topic and the agency's own two, each by its literal name.
    for (const topic of agencyTopics(partnershipId, agency)) {
      acls.push(allow(user, TOPIC, topic, LITERAL, op.READ));
      acls.push(allow(user, TOPIC, topic, LITERAL, op.DESCRIBE));
    }
    acls.push(allow(user, GROUP, consumerGroupPrefix(user), PREFIXED, op.READ));
    acls.push(allow(user, GROUP, consumerGroupPrefix(user), PREFIXED, op.DESCRIBE));
  }
  return acls;
}

const keyOf = (a: AclEntry): string =>
  [
    a.principal,
    a.host,
    a.resourceType,
    a.resourceName,
    a.resourcePatternType,
    a.operation,
    a.permissionType,
  ].join('|');

/**
 * Makes the broker's ACLs on the partnership's topics what `access` says: creates the missing
 * ones and deletes the others on those topics (a system that no longer serves an agency loses
 * its access). Needs a Kafka user allowed to alter the cluster's ACLs (a super user).
 */
export async function grantBrokerAccess(
  kafka: Kafka,
  partnershipId: string,
  access: BrokerAccess,
): Promise<{ granted: AclEntry[]; revoked: AclEntry[] }> {
  const wanted = aclsFor(partnershipId, access);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const described = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const prefix = partnershipTopicPrefix(partnershipId);
    const wantedUsers = new Set(
      [access.relayUser, ...access.agencyUsers.values()].map((u) => `User:${u}`),
    );
    const existing: AclEntry[] = described.resources.flatMap(
      ({ resourceType, resourceName, resourcePatternType, acls }) =>
        acls.map(({ principal, host, operation, permissionType }) => ({
          principal,
          host,
          operation,
          permissionType,
          resourceType,
          resourceName,
          resourcePatternType,
        })),
    );
    const have = new Set(existing.map(keyOf));
    const want = new Set(wanted.map(keyOf));
    const granted = wanted.filter((a) => !have.has(keyOf(a)));
    // Ours to revoke: ALLOW entries on the partnership's topics that the configuration does not
    // name, and the consumer-group entries of the users that lose them. DENY entries and
    // everything else on the cluster (other partnerships, other applications) are left alone.
    const isOurTopic = (a: AclEntry) =>
      a.resourceType === AclResourceTypes.TOPIC && a.resourceName.startsWith(prefix);
    const allow = (a: AclEntry) => a.permissionType === AclPermissionTypes.ALLOW;
    const revokedTopics = existing.filter((a) => allow(a) && isOurTopic(a) && !want.has(keyOf(a)));
    const keepsTopics = new Set(
      existing.filter((a) => isOurTopic(a) && want.has(keyOf(a))).map((a) => a.principal),
    );
    for (const a of wanted) keepsTopics.add(a.principal);
    const formerUsers = new Set(
      revokedTopics
        .map((a) => a.principal)
        .filter((p) => !keepsTopics.has(p) && !wantedUsers.has(p)),
    );
    const revoked = [
      ...revokedTopics,
      ...existing.filter(
        (a) =>
          allow(a) &&
          a.resourceType === AclResourceTypes.GROUP &&
          a.resourcePatternType === ResourcePatternTypes.PREFIXED &&
          formerUsers.has(a.principal) &&
          a.resourceName === consumerGroupPrefix(a.principal.slice('User:'.length)),
      ),
    ];
    if (granted.length > 0) await admin.createAcls({ acl: granted });
    if (revoked.length > 0) await admin.deleteAcls({ filters: revoked });
    return { granted, revoked };
  } finally {
    await admin.disconnect();
  }
}
