import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppOptions, createApp } from '../../src/app';
import { Environment, readEnvironment } from '../../src/environment/environment';
import { REDIS } from '../../src/redis/redis.module';
import { RedisClient } from '../../src/redis/redis-connection';
import { RedisKeys } from '../../src/redis/redis-keys';
import { testRedisVariables, uniquePrefix } from './redis';

export interface TestApp {
  app: NestExpressApplication;
  environment: Environment;
  token: string;
  redis: RedisClient;
  keys: RedisKeys;
  /** An authorised request builder: `api().get('/x')` sends the bearer token. */
  api: () => AuthorisedRequests;
  close: () => Promise<void>;
}

type Method = 'get' | 'post' | 'put' | 'delete';
export type AuthorisedRequests = Record<Method, (path: string) => request.Test>;

/**
 * The real Nest app on the run's throwaway Redis, with a key prefix of its own. `variables`
 * are environment variables, read through the same validation as in production. Logs stay
 * quiet (errors only) unless `LOG_LEVEL` says otherwise.
 */
export async function startTestApp(
  variables: Record<string, string> = {},
  options: AppOptions = {},
): Promise<TestApp> {
  const token = randomBytes(24).toString('base64url');
  const environment = readEnvironment({
    ...testRedisVariables(),
    REDIS_KEY_PREFIX: uniquePrefix('app'),
    API_TOKENS: token,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'outpace-test-data-')),
    LOG_LEVEL: 'error',
    ...variables,
  });
  const app = await createApp(environment, [token], options);
  await app.init();
  const server = app.getHttpServer();
  const authorised = (method: Method) => (path: string) =>
    request(server)[method](path).set('Authorization', `Bearer ${token}`);

  return {
    app,
    environment,
    token,
    redis: app.get<RedisClient>(REDIS),
    keys: app.get(RedisKeys),
    api: () => ({
      get: authorised('get'),
      post: authorised('post'),
      put: authorised('put'),
      delete: authorised('delete'),
    }),
    close: () => app.close(),
  };
}
