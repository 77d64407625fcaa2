import { Module } from '@nestjs/common';
import { CallEventsController } from './call-events.controller';
import { CallsController } from './calls.controller';
import { CallsModule } from './calls.module';

/** The calls HTTP API (SPEC 3.2 and the events route of 3.4), for the roles that serve it. */
@Module({
  imports: [CallsModule],
  controllers: [CallsController, CallEventsController],
})
export class CallsApiModule {}
