/** The relay when Kafka is configured (KAFKA_BROKERS), else null. */
export const RELAY = Symbol('RELAY');
