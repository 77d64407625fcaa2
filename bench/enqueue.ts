import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import {
  BenchApp,
  BenchRedis,
  callRequest,
  chunks,
  closedWindow,
  configure,
  connectionOptions,
  configurationBody,
  inParallel,
} from './harness';
import { Figure, rate, ratioOf } from './report';

const BATCH = 1000;
const AGENTS = 10;
/** Batches in flight at once, for Outpace and the baseline alike. */
const WIDTH = 4;

/** Calls accepted per second through the batch endpoint and the service, against addBulk. */
export async function benchEnqueue(
  redis: BenchRedis,
  app: BenchApp,
  total: number,
): Promise<Figure[]> {
  const agents = Array.from({ length: AGENTS }, () => randomUUID());
  for (const agentId of agents) {
    await configure(
      app,
      configurationBody(agentId, { window: closedWindow(), intervalSeconds: 0 }),
    );
  }
  const batches = chunks(total, BATCH).map(([start, end], index) => ({
    agentId: agents[index % AGENTS],
    calls: Array.from({ length: end - start }, (_, offset) => callRequest(start + offset)),
  }));

  const server = await app.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // One untimed round of each path first, so that no figure pays for compiling its code paths.
  const warmUp = batches.slice(0, WIDTH);
  await viaHttp(app, base, warmUp);
  await viaService(app, warmUp);
  await viaAddBulk(redis, warmUp);

  const httpMs = await timed(() => viaHttp(app, base, batches));
  const serviceMs = await timed(() => viaService(app, batches));
  const bulkMs = await timed(() => viaAddBulk(redis, batches));
  const target = '>= 0.8x addBulk';

  return [
    row('enqueue, POST /calls/batch (HTTP)', total, httpMs, bulkMs, target),
    row('enqueue, CallsService.enqueueBatch', total, serviceMs, bulkMs, target),
  ];
}

interface Batch {
  agentId: string;
  calls: ReturnType<typeof callRequest>[];
}

function row(figure: string, total: number, outpaceMs: number, bulkMs: number, target: string) {
  const ratio = bulkMs / outpaceMs;

  return {
    figure,
    outpace: rate(total, outpaceMs),
    baseline: `${rate(total, bulkMs)} (addBulk)`,
    ratio: ratioOf(bulkMs, outpaceMs),
    target,
    met: ratio >= 0.8,
  };
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();

  return performance.now() - started;
}

async function viaHttp(app: BenchApp, base: string, batches: Batch[]): Promise<void> {
  await inParallel(batches, WIDTH, async ({ agentId, calls }) => {
    const response = await fetch(`${base}/outbound/agents/${agentId}/calls/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ calls }),
    });
    const body = (await response.json()) as { accepted: unknown[] };
    if (response.status !== 202 || body.accepted.length !== calls.length) {
      throw new Error(`batch refused: ${response.status}`);
    }
  });
}

async function viaService(app: BenchApp, batches: Batch[]): Promise<void> {
  await inParallel(batches, WIDTH, async ({ agentId, calls }) => {
    const result = await app.calls.enqueueBatch(agentId, calls);
    if (result.accepted.length !== calls.length) {
      throw new Error(`batch refused: ${JSON.stringify(result.rejected[0])}`);
    }
  });
}

async function viaAddBulk(redis: BenchRedis, batches: Batch[]): Promise<void> {
  const queue = new Queue('bench-enqueue', { connection: connectionOptions(redis) });
  await inParallel(batches, WIDTH, async ({ agentId, calls }) => {
    await queue.addBulk(calls.map((data) => ({ name: 'call', data: { agentId, ...data } })));
  });
  await queue.close();
}
