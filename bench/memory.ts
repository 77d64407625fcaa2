import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import {
  BenchApp,
  BenchRedis,
  callRequest,
  chunks,
  closedWindow,
  configure,
  configurationBody,
  connectionOptions,
  inParallel,
  redisInfoNumber,
  sleep,
} from './harness';
import { Figure } from './report';

const AGENTS = 10;
const CHUNK = 5000;
const DAY_MS = 24 * 3600_000;

/** Redis bytes per call queued in a closed window, against a delayed BullMQ job. */
export async function benchMemory(
  redis: BenchRedis,
  app: BenchApp,
  total: number,
): Promise<Figure[]> {
  const outpace = await outpaceBytes(redis, app, total);
  const bullmq = await delayedJobBytes(redis, total);

  return [
    {
      figure: `Redis memory per queued call (${total.toLocaleString('en-US')} calls)`,
      outpace: `${Math.round(outpace)} B`,
      baseline: `${Math.round(bullmq)} B (delayed BullMQ job)`,
      ratio: `${(outpace / bullmq).toFixed(2)}x`,
      target: '<= 1 KB (1,024 B)',
      met: outpace <= 1024,
    },
  ];
}

async function outpaceBytes(redis: BenchRedis, app: BenchApp, total: number): Promise<number> {
  const agents = Array.from({ length: AGENTS }, () => randomUUID());
  const window = closedWindow();
  for (const agentId of agents) {
    await configure(app, configurationBody(agentId, { window, intervalSeconds: 0 }));
  }
  await sleep(500);
  const before = await usedMemory(redis);
  await inParallel(chunks(total, CHUNK), 2, async ([start, end]) => {
    const calls = Array.from({ length: end - start }, (_, offset) => callRequest(start + offset));
    await app.calls.enqueueBatch(agents[(start / CHUNK) % AGENTS], calls);
  });
  await sleep(1000);

  return ((await usedMemory(redis)) - before) / total;
}

async function delayedJobBytes(redis: BenchRedis, total: number): Promise<number> {
  const queue = new Queue('bench-memory', { connection: connectionOptions(redis) });
  await queue.waitUntilReady();
  const before = await usedMemory(redis);
  await inParallel(chunks(total, CHUNK), 2, async ([start, end]) => {
    await queue.addBulk(
      Array.from({ length: end - start }, (_, offset) => ({
        name: 'call',
        data: callRequest(start + offset),
        opts: { delay: DAY_MS },
      })),
    );
  });
  await sleep(1000);
  const bytes = ((await usedMemory(redis)) - before) / total;
  await queue.close();

  return bytes;
}

function usedMemory(redis: BenchRedis): Promise<number> {
  return redisInfoNumber(redis, 'memory', 'used_memory');
}
