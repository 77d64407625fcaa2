import Redis from 'ioredis';
import { callee } from '../support/configurations';
import { PrivateTestRedis, startPrivateTestRedis } from '../support/redis';
import { closedWindow, PacingHarness, sleep } from './pacing-harness';

const AGENTS = 20;
const MEASURED_MS = 2_000;

/** Commands the servers processed so far, by INFO stats: on a cluster, the sum over its masters. */
async function commandsProcessed(probes: Redis[]): Promise<number> {
  const counts = await Promise.all(
    probes.map(async (probe) => {
      const stats = await probe.info('stats');

      return Number(/total_commands_processed:(\d+)/.exec(stats)?.[1]);
    }),
  );

  return counts.reduce((sum, count) => sum + count, 0);
}

// A Redis of its own: the shared one carries the other test files' traffic.
describe('idle schedules', () => {
  let redis: PrivateTestRedis;
  let harness: PacingHarness;
  let probes: Redis[];

  beforeAll(async () => {
    redis = await startPrivateTestRedis();
    harness = await PacingHarness.start(redis.variables);
    probes = redis.servers.map((server) => new Redis(server.url));
  });

  afterAll(async () => {
    probes.forEach((probe) => probe.disconnect());
    await harness.stop();
    await redis.stop();
  });

  it('sends Redis almost no commands while every call waits on a closed window', async () => {
    for (let agent = 0; agent < AGENTS; agent++) {
      const agentId = await harness.configure({ time_windows: [closedWindow()] });
      await harness.enqueue(agentId, { to_number: callee(agent) });
    }
    await sleep(500);

    const before = await commandsProcessed(probes);
    await sleep(MEASURED_MS);
    const after = await commandsProcessed(probes);
    const ownCommands = probes.length;
    const perSecond = ((after - before - ownCommands) * 1_000) / MEASURED_MS;
    console.log(`idle with ${AGENTS} waiting agents: ${perSecond} Redis commands/s`);

    expect(perSecond).toBeLessThan(20);
    expect(harness.telephony.dials).toHaveLength(0);
  });
});
