import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventStoreModule } from '@samverkan/event-store/event-store.module';
import { ProjectionsModule } from '../projections/projections.module';
import { RelayModule } from '../relay/relay.module';
import { HealthController } from './health.controller';
import { readinessChecks } from './readiness-checks';

/** `/ready` (and `/health`), `/health/live`. */
@Module({
  // Terminus's own log line per failed probe would repeat every few seconds through an
  // outage: the controller logs each change of readiness once instead.
  imports: [
    TerminusModule.forRoot({ logger: false }),
    EventStoreModule,
    ProjectionsModule,
    RelayModule,
  ],
  controllers: [HealthController],
  providers: [readinessChecks],
})
export class HealthModule {}
