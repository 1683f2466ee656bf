import type { Probe } from '@samverkan/shared/health/readiness';
import type { Kafka } from 'kafkajs';

/**
 * Readiness of Kafka: a fresh connection answers a metadata request (the cheapest admin call).
 * Fresh each time, so a broker that went away is seen at once, not after a cached connection
 * notices.
 */
export function kafkaProbe(kafka: Kafka): Probe {
  return async () => {
    const admin = kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      const { brokers } = await admin.describeCluster();
      return { up: true, details: { brokers: brokers.length } };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
}
