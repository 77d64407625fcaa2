import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { createApp } from './app';
import {
  Environment,
  EnvironmentError,
  readProcessEnvironment,
  resolveApiTokens,
} from './environment/environment';
import { PacingWorker } from './pacing/pacing.worker';
import { EmbeddedRedis, RedisBinaryMissingError } from './redis/embedded-redis';
import { Server } from 'node:http';
import { join } from 'node:path';

/** However a drain goes, the process is gone this long after SIGTERM. */
const SHUTDOWN_DEADLINE_MS = 10_000;

let embeddedRedis: EmbeddedRedis | null = null;

async function main(): Promise<void> {
  const environment = await withRedis(readProcessEnvironment());
  const { tokens, generated } = resolveApiTokens(environment);
  const app = await createApp(environment, tokens);
  process.once('SIGTERM', () => void shutDown(app, 'SIGTERM'));
  process.once('SIGINT', () => void shutDown(app, 'SIGINT'));
  await app.listen(environment.port);

  process.stdout.write(
    `Outpace (${environment.role}) listening on http://127.0.0.1:${environment.port}\n`,
  );
  if (generated) {
    process.stdout.write(`API token (kept in ${environment.dataDirectory}): ${tokens[0]}\n`);
  }
}

/**
 * Stops taking work, then lets what was started finish: the HTTP server refuses new connections
 * while in-flight requests complete, and the BullMQ worker takes no new wake-up while the running
 * ones finish their dials. Then Nest closes the queues, the simulated dialer and Redis. A hard
 * deadline exits (with 1) should anything hang.
 */
async function shutDown(app: INestApplication, signal: string): Promise<void> {
  process.stdout.write(`Outpace: ${signal} received, finishing in-flight work\n`);
  setTimeout(() => {
    process.stderr.write('Outpace: shutdown took over 10 s, exiting anyway\n');
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();

  const server = app.getHttpServer() as Server;
  const requestsFinished = new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.all([requestsFinished, stopPacing(app)]);
  await app.close();
  await embeddedRedis?.stop();
  process.exit(0);
}

/** Closes the wake-up worker, waiting for its running jobs; roles without one skip this. */
async function stopPacing(app: INestApplication): Promise<void> {
  let worker: PacingWorker;
  try {
    worker = app.get(PacingWorker, { strict: false });
  } catch {
    return;
  }
  await worker.onApplicationShutdown();
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
  embeddedRedis = redis;

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
