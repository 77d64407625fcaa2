import { DynamicModule, Module } from '@nestjs/common';
import { DestinationStream } from 'pino';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { API_TOKENS, ApiTokens } from './auth/api-tokens';
import { TokenGuard } from './auth/token.guard';
import { HttpErrorFilter } from './common/http-error.filter';
import { CallsApiModule } from './calls/calls-api.module';
import { PacingModule } from './pacing/pacing.module';
import { ConfigurationApiModule } from './configuration/configuration-api.module';
import { DncModule } from './dnc/dnc.module';
import { Environment } from './environment/environment';
import { EnvironmentModule } from './environment/environment.module';
import { HealthController } from './health/health.controller';
import { LoggingModule } from './logging/logging.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { RedisModule } from './redis/redis.module';

/**
 * One codebase, three roles: `api` serves the HTTP API, `worker` paces and dials, `all` does
 * both. Every role answers /health and /metrics and logs through pino; a `worker` serves nothing
 * else.
 */
@Module({})
export class AppModule {
  static forRoot(
    environment: Environment,
    tokens: string[],
    logDestination?: DestinationStream,
  ): DynamicModule {
    const serves = environment.role !== 'worker';
    const paces = environment.role !== 'api';

    return {
      module: AppModule,
      imports: [
        EnvironmentModule.forRoot(environment),
        LoggingModule.forRoot(environment.logLevel, logDestination),
        RedisModule,
        MonitoringModule,
        ...(serves ? [ConfigurationApiModule, DncModule, CallsApiModule] : []),
        ...(paces ? [PacingModule] : []),
      ],
      controllers: [HealthController],
      providers: [
        { provide: API_TOKENS, useValue: new ApiTokens(tokens) },
        { provide: APP_GUARD, useClass: TokenGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
