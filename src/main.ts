import 'reflect-metadata';
import { createApp } from './app';
import {
  Environment,
  EnvironmentError,
  readEnvironment,
  resolveApiTokens,
} from './environment/environment';
import { EmbeddedRedis, RedisBinaryMissingError } from './redis/embedded-redis';
import { join } from 'node:path';

async function main(): Promise<void> {
  const environment = await withRedis(readEnvironment(process.env));
  const { tokens, generated } = resolveApiTokens(environment);
  const app = await createApp(environment, tokens);
  await app.listen(environment.port);

  process.stdout.write(
    `Outpace (${environment.role}) listening on http://127.0.0.1:${environment.port}\n`,
  );
  if (generated) {
    process.stdout.write(`API token (kept in ${environment.dataDirectory}): ${tokens[0]}\n`);
  }
}

/** Without REDIS_URL the service runs its own redis-server, which dies with it. */
async function withRedis(environment: Environment): Promise<Environment> {
  if (environment.redisUrl || environment.redisClusterNodes) {
    return environment;
  }
  const redis = await EmbeddedRedis.start({
    dataDirectory: join(environment.dataDirectory, 'redis'),
    appendOnly: true,
  });

  return { ...environment, redisUrl: redis.url };
}

main().catch((error: unknown) => {
  if (error instanceof EnvironmentError || error instanceof RedisBinaryMissingError) {
    process.stderr.write(`Outpace cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(`Outpace cannot start: ${String((error as Error)?.stack ?? error)}\n`);
  }
  process.exit(1);
});
