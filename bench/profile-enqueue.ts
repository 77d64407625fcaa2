import { IANAZone } from 'luxon';
import { randomUUID } from 'node:crypto';
import {
  callRequest,
  closedWindow,
  configure,
  configurationBody,
  startApp,
  startRedis,
} from './harness';

/** With PROFILE_MEMO_ZONES=1, the proposed fix: zone validity memoised per name. */
function memoiseZoneValidity(): void {
  const known = new Map<string, boolean>();
  const isValidZone = IANAZone.isValidZone.bind(IANAZone);
  IANAZone.isValidZone = (zone: string) => {
    const cached = known.get(zone);
    if (cached !== undefined) {
      return cached;
    }
    const valid = isValidZone(zone);
    known.set(zone, valid);

    return valid;
  };
}

async function main() {
  if (process.env.PROFILE_MEMO_ZONES === '1') {
    memoiseZoneValidity();
  }
  const redis = await startRedis();
  const app = await startApp(redis);
  const agentId = randomUUID();
  await configure(app, configurationBody(agentId, { window: closedWindow(), intervalSeconds: 0 }));
  const calls = Array.from({ length: 1000 }, (_, index) => callRequest(index));
  const started = performance.now();
  for (let round = 0; round < 10; round++) {
    const t0 = performance.now();
    await app.calls.enqueueBatch(agentId, calls);
    console.log(`batch ${round}: ${(performance.now() - t0).toFixed(0)} ms`);
  }
  console.log(`${((10_000 * 1000) / (performance.now() - started)).toFixed(0)}/s`);
  await app.close();
  redis.client.disconnect();
  await redis.server.stop();
}

void main();
