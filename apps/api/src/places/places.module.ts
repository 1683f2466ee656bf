import { Module } from '@nestjs/common';
import { EventStoreModule } from '@samverkan/event-store/event-store.module';
import { PlacesRegister } from './places-register';

/** The places register, for every module whose commands or views name places. */
@Module({
  imports: [EventStoreModule],
  providers: [PlacesRegister],
  exports: [PlacesRegister],
})
export class PlacesModule {}
