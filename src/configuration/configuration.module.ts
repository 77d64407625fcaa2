import { Module } from '@nestjs/common';
import { ConfigurationEvents } from './configuration.events';
import { ConfigurationService } from './configuration.service';
import { ConfigurationStore } from './configuration.store';
import { LiveReadout } from './live-readout';

/** Configurations without their HTTP routes: what the pacing engine imports in a `worker`. */
@Module({
  providers: [ConfigurationStore, ConfigurationEvents, ConfigurationService, LiveReadout],
  exports: [ConfigurationStore, ConfigurationEvents, ConfigurationService, LiveReadout],
})
export class ConfigurationModule {}
