import { Module } from '@nestjs/common';
import { ConfigurationController } from './configuration.controller';
import { ConfigurationModule } from './configuration.module';

/** The outbound-configuration HTTP API (SPEC 3.1), for the roles that serve it. */
@Module({
  imports: [ConfigurationModule],
  controllers: [ConfigurationController],
})
export class ConfigurationApiModule {}
