import { randomUUID } from 'node:crypto';
import {
  callRequest,
  closedWindow,
  configure,
  configurationBody,
  startApp,
  startRedis,
} from './harness';

/**
 * Enqueues 10 batches of 1,000 calls for a CPU profile, through `CallsService.enqueueBatch`, or
 * through the batch route when run with `http` as its argument:
 * `node --cpu-prof -r ts-node/register/transpile-only bench/profile-enqueue.ts http`.
 */
const ROUNDS = Number(process.env.ROUNDS ?? 10);

async function main() {
  const viaHttp = process.argv[2] === 'http';
  const redis = await startRedis();
  const app = await startApp(redis);
  const server = await app.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const agentId = randomUUID();
  await configure(app, configurationBody(agentId, { window: closedWindow(), intervalSeconds: 0 }));
  const calls = Array.from({ length: 1000 }, (_, index) => callRequest(index));
  const enqueue = async () => {
    if (!viaHttp) {
      return app.calls.enqueueBatch(agentId, calls);
    }
    const response = await fetch(`${base}/outbound/agents/${agentId}/calls/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ calls }),
    });

    return response.json();
  };
  await enqueue();
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    await enqueue();
    console.log(`batch ${round}: ${(performance.now() - t0).toFixed(0)} ms`);
  }
  console.log(`${((ROUNDS * 1000 * 1000) / (performance.now() - started)).toFixed(0)}/s`);
  await app.close();
  redis.client.disconnect();
  await redis.server.stop();
}

void main();
