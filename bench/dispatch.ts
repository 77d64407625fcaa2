import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import {
  ALWAYS_OPEN,
  BenchApp,
  BenchRedis,
  callRequest,
  configure,
  configurationBody,
  connectionCount,
  connectionOptions,
  inParallel,
  waitFor,
  wakeQueue,
} from './harness';
import { Figure, rate, ratioOf } from './report';

export interface DispatchSize {
  agents: number;
  callsPerAgent: number;
}

/** Jobs at once per agent in the per-agent design. */
const PER_AGENT_CONCURRENCY = 5;
const DISPATCH_TIMEOUT_MS = 180_000;

interface Throughput {
  count: number;
  ms: number;
  connections: number;
}

/** Dials per second with nothing binding, against plain BullMQ and a queue per agent. */
export async function benchDispatch(
  redis: BenchRedis,
  startApp: () => Promise<BenchApp>,
  size: DispatchSize,
): Promise<Figure[]> {
  const outpace = await outpaceDispatch(redis, startApp, size);
  await redis.client.flushall();
  const plain = await plainWorker(redis, size.agents * size.callsPerAgent);
  await redis.client.flushall();
  const perAgent = await queuePerAgent(redis, size);
  await redis.client.flushall();
  const label = `${size.agents} agents x ${size.callsPerAgent} calls`;

  return [
    {
      figure: `dispatch, ${label}`,
      outpace: rate(outpace.count, outpace.ms),
      baseline: `${rate(plain.count, plain.ms)} (one Worker, concurrency 100, no-op)`,
      ratio: ratioOf(plain.ms, outpace.ms),
      target: '>= 0.5x',
      met: plain.ms / outpace.ms >= 0.5,
    },
    {
      figure: `dispatch vs queue per agent, ${label}`,
      outpace: rate(outpace.count, outpace.ms),
      baseline: `${rate(perAgent.count, perAgent.ms)} (queue + Worker per agent)`,
      ratio: ratioOf(perAgent.ms, outpace.ms),
      target: '>= 3x',
      met: perAgent.ms / outpace.ms >= 3,
    },
    {
      figure: 'Redis connections during dispatch',
      outpace: String(outpace.connections),
      baseline: `${perAgent.connections} (queue per agent); ${plain.connections} (one Worker)`,
      ratio: ratioOf(outpace.connections, perAgent.connections),
      target: '<= 1/50 (0.02x)',
      met: outpace.connections * 50 <= perAgent.connections,
    },
  ];
}

export async function outpaceDispatch(
  redis: BenchRedis,
  startApp: () => Promise<BenchApp>,
  size: DispatchSize,
): Promise<Throughput> {
  const app = await startApp();
  const agents = Array.from({ length: size.agents }, () => randomUUID());
  await inParallel(agents, 32, (agentId) =>
    configure(app, configurationBody(agentId, { window: ALWAYS_OPEN, intervalSeconds: 0 })),
  );
  await wakeQueue(app).pause();
  await inParallel(agents, 8, async (agentId) => {
    const calls = Array.from({ length: size.callsPerAgent }, (_, index) => callRequest(index));
    await app.calls.enqueueBatch(agentId, calls);
  });
  const total = agents.length * size.callsPerAgent;
  let dialed = 0;
  app.onDial(() => (dialed += 1));

  const started = Date.now();
  await wakeQueue(app).resume();
  const connections = await connectionCount(redis);
  await waitFor(() => dialed >= total, DISPATCH_TIMEOUT_MS);
  const lastDial = await lastDialedAt(app, agents);
  await app.close();

  return { count: total, ms: (lastDial || Date.now()) - started, connections };
}

/** Latest `dialed_at` over every call, read from Redis through the service. */
async function lastDialedAt(app: BenchApp, agents: string[]): Promise<number> {
  let latest = 0;
  await inParallel(agents, 16, async (agentId) => {
    const page = await app.calls.list(agentId, undefined, 1000);
    for (const call of page.calls) {
      latest = Math.max(latest, call.dialed_at ? Date.parse(call.dialed_at) : 0);
    }
  });

  return latest;
}

async function plainWorker(redis: BenchRedis, total: number): Promise<Throughput> {
  const queue = new Queue('bench-plain', { connection: connectionOptions(redis) });
  for (let start = 0; start < total; start += 1000) {
    const count = Math.min(1000, total - start);
    await queue.addBulk(
      Array.from({ length: count }, (_, index) => ({ name: 'dial', data: callRequest(index) })),
    );
  }
  let processed = 0;
  const started = Date.now();
  const worker = new Worker('bench-plain', async () => void (processed += 1), {
    connection: connectionOptions(redis),
    concurrency: 100,
    removeOnComplete: { count: 0 },
  });
  await waitFor(() => processed >= 10 || processed >= total, DISPATCH_TIMEOUT_MS);
  const connections = await connectionCount(redis);
  await waitFor(() => processed >= total, DISPATCH_TIMEOUT_MS);
  const ms = Date.now() - started;
  await worker.close();
  await queue.close();

  return { count: total, ms, connections };
}

async function queuePerAgent(redis: BenchRedis, size: DispatchSize): Promise<Throughput> {
  const names = Array.from({ length: size.agents }, (_, index) => `bench-agent-${index}`);
  const queues = names.map((name) => new Queue(name, { connection: connectionOptions(redis) }));
  await inParallel(queues, 32, async (queue) => {
    await queue.setGlobalConcurrency(PER_AGENT_CONCURRENCY);
    await queue.setGlobalRateLimit(100_000, 1000);
    await queue.addBulk(
      Array.from({ length: size.callsPerAgent }, (_, index) => ({
        name: 'dial',
        data: callRequest(index),
      })),
    );
  });
  const total = size.agents * size.callsPerAgent;
  let processed = 0;
  const started = Date.now();
  const workers = names.map(
    (name) =>
      new Worker(name, async () => void (processed += 1), {
        connection: connectionOptions(redis),
        concurrency: PER_AGENT_CONCURRENCY,
        removeOnComplete: { count: 0 },
      }),
  );
  await waitFor(() => processed >= total / 2, DISPATCH_TIMEOUT_MS);
  const connections = await connectionCount(redis);
  await waitFor(() => processed >= total, DISPATCH_TIMEOUT_MS);
  const ms = Date.now() - started;
  await inParallel(workers, 64, (worker) => worker.close());
  await inParallel(queues, 64, (queue) => queue.close());

  return { count: total, ms, connections };
}
