import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { ConfigurationModule } from '../configuration/configuration.module';
import { DialerModule } from '../dialer/dialer.module';
import { DncListModule } from '../dnc/dnc.module';
import { CallEventReporter } from './call-event-reporter';
import { ConfigurationCache } from './configuration-cache';
import { DialPlacer } from './dial-placer';
import { PacingService } from './pacing.service';
import { PacingWorker } from './pacing.worker';
import { WakeModule } from './wake.module';

/** The pacing engine: consumes wake-ups, decides dials and hands them to the dialer. */
@Module({
  imports: [
    ConfigurationModule,
    CallsModule,
    DncListModule,
    WakeModule,
    DialerModule.register({ reporter: CallEventReporter, imports: [CallsModule] }),
  ],
  providers: [ConfigurationCache, DialPlacer, PacingService, PacingWorker],
})
export class PacingModule {}
