import { startApp, startRedis } from './harness';
import { benchInterval, benchWindowLag } from './precision';
import { table } from './report';

/** Interval error and window lag at Redis `hz` 10 (the default) and 100: timer resolution. */
async function main(): Promise<void> {
  const redis = await startRedis();
  for (const hz of ['10', '100']) {
    await redis.client.flushall();
    await redis.client.config('SET', 'hz', hz);
    const app = await startApp(redis);
    const rows = [...(await benchInterval(app, 20)), ...(await benchWindowLag(app, 12))];
    await app.close();
    console.log(`Redis hz ${hz}\n${table(rows)}`);
  }
  redis.client.disconnect();
  await redis.server.stop();
}

void main();
