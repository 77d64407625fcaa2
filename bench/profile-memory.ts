import { randomUUID } from 'node:crypto';
import {
  callRequest,
  closedWindow,
  configure,
  configurationBody,
  startApp,
  startRedis,
} from './harness';

const CALLS = 10_000;

/** Where a queued call's bytes go: MEMORY USAGE of each key it adds, per call. */
async function main(): Promise<void> {
  const redis = await startRedis();
  const app = await startApp(redis);
  const agentId = randomUUID();
  await configure(app, configurationBody(agentId, { window: closedWindow(), intervalSeconds: 0 }));
  const calls = Array.from({ length: CALLS }, (_, index) => callRequest(index));
  const { accepted } = await app.calls.enqueueBatch(agentId, calls);
  const keys = await redis.client.keys('*');
  const sample = accepted[0].call_id;
  const perCall = new Map<string, number>();
  for (const key of keys) {
    const bytes = Number(await redis.client.memory('USAGE', key, 'SAMPLES', '0'));
    const kind = key.includes(sample) ? key.replace(sample, '<call>') : key.replace(agentId, '<a>');
    const shared = !key.includes(':call:') && !key.includes('call-owner');
    if (shared || key.includes(sample)) {
      perCall.set(kind, shared ? bytes / CALLS : bytes);
    }
  }
  for (const [kind, bytes] of [...perCall].sort((left, right) => right[1] - left[1])) {
    console.log(`${bytes.toFixed(1).padStart(8)} B/call  ${kind}`);
  }
  console.log(
    await redis.client.hgetall(keys.find((key) => key.endsWith(`:call:${sample}`)) as string),
  );
  await app.close();
  redis.client.disconnect();
  await redis.server.stop();
}

void main();
