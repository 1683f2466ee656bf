/**
 * Gives the broker the ACLs of the partnership's feed: the relay writes the partnership's
 * topics, each agency system reads its agency's two topics (and consumer groups named
 * `<user>.…`), nothing else; ACLs on those topics that the configuration no longer names are
 * deleted. Runs as a Kafka user allowed to change ACLs (a super user).
 *
 *   KAFKA_BROKERS=… KAFKA_ADMIN_USERNAME=admin KAFKA_ADMIN_PASSWORD=… \
 *   KAFKA_RELAY_USER=relay KAFKA_AGENCY_USERS=police=police-system,school=school-system \
 *   npm run kafka:access [-- --dry-run]
 *
 * Over TLS (SASL_SSL) add KAFKA_SSL=on and, for the partnership's own CA, KAFKA_SSL_CA_FILE=ca.pem.
 *
 * The SCRAM users themselves are made with Kafka's own tool (kafkajs cannot), e.g.
 *   kafka-configs.sh --alter --entity-type users --entity-name police-system \
 *     --add-config 'SCRAM-SHA-512=[password=…]'
 */
import {
  aclsFor,
  brokerAccessFromEnv,
  grantBrokerAccess,
} from '@samverkan/integration/kafka/broker-access';
import { adminKafkaClient, feedConfigFromEnv } from '@samverkan/integration/relay/relay-config';
import { AclOperationTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import { useCliJsonLogs } from '../libs/shared/src/logging/json-logger';

// kafkajs's enums are plain objects at run time (no names by number): look the names up.
const nameOf = (values: object, n: number): string =>
  Object.entries(values).find(([, v]) => v === n)?.[0] ?? String(n);
const describe = (a: AclEntry) =>
  `${a.principal} ${nameOf(AclOperationTypes, a.operation)} ${nameOf(AclResourceTypes, a.resourceType)} ${a.resourceName}${
    a.resourcePatternType === ResourcePatternTypes.PREFIXED ? '*' : ''
  }`;

async function main(): Promise<void> {
  // What the libraries log, as JSON on stderr: stdout is this tool's answer.
  useCliJsonLogs('kafka-access', 'warn');
  const access = brokerAccessFromEnv();
  const partnershipId = process.env['SAMVERKAN_PARTNERSHIP_ID']?.trim() || 'hammaro';
  if (process.argv.includes('--dry-run')) {
    for (const acl of aclsFor(partnershipId, access))
      process.stdout.write(`would allow ${describe(acl)}\n`);
    return;
  }
  // The relay's own password is not needed here: only its user name, for the ACLs.
  const feed = feedConfigFromEnv({
    ...process.env,
    KAFKA_USERNAME: undefined,
    KAFKA_PASSWORD: undefined,
  });
  if (!feed) throw new Error('KAFKA_BROKERS is not set');
  const kafka = adminKafkaClient(feed);
  const { granted, revoked } = await grantBrokerAccess(kafka, partnershipId, access);
  for (const acl of granted) process.stdout.write(`allowed ${describe(acl)}\n`);
  for (const acl of revoked) process.stdout.write(`revoked ${describe(acl)}\n`);
  process.stdout.write(
    `Partnership ${partnershipId}: ${granted.length} ACLs added, ${revoked.length} removed, ${aclsFor(partnershipId, access).length} in place\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
