import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Relay } from '@samverkan/integration/relay/relay';
import { RELAY } from './relay.token';

@ApiTags('subscriptions')
@ApiBearerAuth('bearer')
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(@Inject(RELAY) private readonly relay: Relay | null) {}

  @Get()
  @ApiOperation({
    summary:
      "The Kafka relay that feeds agency systems: its checkpoint, lag behind the log, state (running, standby while another relay publishes, broker-unreachable or store-unreachable during an outage, with since when) and each agency's topics",
  })
  async status() {
    if (!this.relay) return { relay: null, note: 'Kafka is not configured (KAFKA_BROKERS)' };
    return { relay: await this.relay.status(), topics: this.relay.topics() };
  }
}
