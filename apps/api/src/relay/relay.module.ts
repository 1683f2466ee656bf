import {
  Inject,
  Module,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { eventStoreConfigFromEnv } from '@samverkan/event-store/event-store.config';
import { EventStoreModule } from '@samverkan/event-store/event-store.module';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { Relay } from '@samverkan/integration/relay/relay';
import { createRelay, relayConfigFromEnv } from '@samverkan/integration/relay/relay-config';
import { RELAY } from './relay.token';
import { SubscriptionsController } from './subscriptions.controller';
import { AsyncApiController } from './asyncapi.controller';
import { registerRelayMetrics } from '@samverkan/integration/relay/relay-metrics';
import { METRICS_REGISTRY } from '@samverkan/shared/metrics/metrics-registry';
import type { Registry } from 'prom-client';
import { GracefulShutdown } from '../health/graceful-shutdown';

/**
 * The Kafka relay in the API process when Kafka is configured (KAFKA_BROKERS) and not turned off
 * (SAMVERKAN_RELAY=off, when apps/relay runs it instead).
 */
@Module({
  imports: [EventStoreModule],
  controllers: [SubscriptionsController, AsyncApiController],
  exports: [RELAY],
  providers: [
    {
      provide: RELAY,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore): Relay | null => {
        const config = relayConfigFromEnv();
        return config ? createRelay(store, config, eventStoreConfigFromEnv()) : null;
      },
    },
  ],
})
export class RelayModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(RELAY) private readonly relay: Relay | null,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly shutdown: GracefulShutdown,
    @Optional() @Inject(METRICS_REGISTRY) private readonly metrics?: Registry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.relay) return;
    if (this.metrics) registerRelayMetrics(this.metrics, this.relay);
    await this.store.start();
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    const relay = this.relay;
    if (relay) await this.shutdown.grace.step('relay (the batch under way)', () => relay.stop());
  }
}
