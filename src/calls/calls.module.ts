import { Module } from '@nestjs/common';
import { CalleeZoneResolver } from '../calendar/callee-zones';
import { ConfigurationModule } from '../configuration/configuration.module';
import { WakeModule } from '../pacing/wake.module';
import { CallEventsService } from './call-events.service';
import { CallsService } from './calls.service';
import { ConfigurationChangeListener } from './configuration-change.listener';

/** Calls without their HTTP routes: what the pacing engine imports in a `worker` process. */
@Module({
  imports: [ConfigurationModule, WakeModule],
  providers: [
    CallsService,
    CallEventsService,
    ConfigurationChangeListener,
    { provide: CalleeZoneResolver, useValue: new CalleeZoneResolver() },
  ],
  exports: [CallsService, CallEventsService],
})
export class CallsModule {}
