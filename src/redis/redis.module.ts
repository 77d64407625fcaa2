import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Environment } from '../environment/environment';
import { ENVIRONMENT } from '../environment/environment.module';
import { LuaScripts } from './lua-scripts';
import { connectRedis, RedisClient } from './redis-connection';
import { RedisKeys } from './redis-keys';

/** Injection token of the service's shared (non-blocking) Redis connection. */
export const REDIS = Symbol('Redis');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ENVIRONMENT],
      useFactory: (environment: Environment) => connectRedis(environment, 'commands'),
    },
    {
      provide: RedisKeys,
      inject: [ENVIRONMENT],
      useFactory: (environment: Environment) => new RedisKeys(environment.redisKeyPrefix),
    },
    {
      provide: LuaScripts,
      inject: [REDIS],
      useFactory: (client: RedisClient) => new LuaScripts(client),
    },
  ],
  exports: [REDIS, RedisKeys, LuaScripts],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly client: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
