import Redis from 'ioredis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedRedis } from '../../src/redis/embedded-redis';
import { callee } from '../support/configurations';
import { closedWindow, PacingHarness, sleep } from './pacing-harness';

const AGENTS = 20;
const MEASURED_MS = 2_000;

/** Commands the server processed so far, by INFO stats. */
async function commandsProcessed(probe: Redis): Promise<number> {
  const stats = await probe.info('stats');

  return Number(/total_commands_processed:(\d+)/.exec(stats)?.[1]);
}

// A Redis of its own: the shared one carries the other test files' traffic.
describe('idle schedules', () => {
  let redis: EmbeddedRedis;
  let harness: PacingHarness;
  let probe: Redis;

  beforeAll(async () => {
    redis = await EmbeddedRedis.start({
      dataDirectory: mkdtempSync(join(tmpdir(), 'outpace-idle-redis-')),
      appendOnly: false,
    });
    harness = await PacingHarness.start({ REDIS_URL: redis.url });
    probe = new Redis(redis.url);
  });

  afterAll(async () => {
    probe.disconnect();
    await harness.stop();
    await redis.stop();
  });

  it('sends Redis almost no commands while every call waits on a closed window', async () => {
    for (let agent = 0; agent < AGENTS; agent++) {
      const agentId = await harness.configure({ time_windows: [closedWindow()] });
      await harness.enqueue(agentId, { to_number: callee(agent) });
    }
    await sleep(500);

    const before = await commandsProcessed(probe);
    await sleep(MEASURED_MS);
    const after = await commandsProcessed(probe);
    const ownCommands = 1;
    const perSecond = ((after - before - ownCommands) * 1_000) / MEASURED_MS;
    console.log(`idle with ${AGENTS} waiting agents: ${perSecond} Redis commands/s`);

    expect(perSecond).toBeLessThan(20);
    expect(harness.telephony.dials).toHaveLength(0);
  });
});
