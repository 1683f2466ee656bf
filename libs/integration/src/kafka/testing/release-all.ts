import { rmSync } from 'node:fs';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import type { Consumer } from 'kafkajs';
import type { Relay } from '../../relay/relay';

/**
 * What a Kafka suite with a broker of its own started, released in order: relays and consumers
 * before the store and the broker they use, the broker's folder and the databases last. A part
 * that fails to stop does not keep the others running.
 */
export async function releaseAll(parts: {
  readonly relays?: readonly (Relay | undefined)[];
  readonly consumers?: readonly Consumer[];
  readonly store?: EventStore;
  readonly broker?: { stop(): Promise<void> };
  readonly dir?: string;
  readonly databases?: { dropAll(): Promise<void> };
}): Promise<void> {
  for (const relay of parts.relays ?? []) await relay?.stop().catch(() => undefined);
  for (const consumer of parts.consumers ?? []) await consumer.disconnect().catch(() => undefined);
  await parts.store?.close();
  await parts.broker?.stop().catch(() => undefined);
  if (parts.dir) rmSync(parts.dir, { recursive: true, force: true });
  await parts.databases?.dropAll();
}
