import { Module } from '@nestjs/common';
import { EventStoreModule } from '@samverkan/event-store/event-store.module';
import { HealthController } from './health/health.controller';

@Module({
  imports: [EventStoreModule],
  controllers: [HealthController],
})
export class AppModule {}
