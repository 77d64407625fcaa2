import { Module } from '@nestjs/common';
import { ConfigurationEvents } from './configuration.events';
import { ConfigurationStore } from './configuration.store';

@Module({
  providers: [ConfigurationStore, ConfigurationEvents],
  exports: [ConfigurationStore, ConfigurationEvents],
})
export class ConfigurationModule {}
