import { Cluster, Redis } from 'ioredis';
import { RedisClient } from '../../src/redis/redis-connection';
import { RedisKeys } from '../../src/redis/redis-keys';
import { callee } from '../support/configurations';
import { testRedisMode, testRedisUrl } from '../support/redis';
import { PacingHarness } from './pacing-harness';

const HOUR_MS = 3_600_000;
/** Fixed agent ids, so that where their keys land is the same on every run. */
const AGENTS = Array.from(
  { length: 12 },
  (_, index) => `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
);
/** Agents whose key builders are checked against the cluster's own slot function. */
const SAMPLED_AGENTS = 100;

/** Redis's hash tag rule: the text inside the first `{...}`, when not empty; else the key. */
function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);

  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** Every key of one server whose name starts with `prefix`. */
async function keysOn(server: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await server.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');

  return keys;
}

/** The servers holding data: each master of a cluster, or the one server. */
function serversOf(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/** Which server (by port) holds each key of the app's prefix or of its queues. */
async function keyPlacement(client: RedisClient, keys: RedisKeys): Promise<Map<string, number>> {
  const placement = new Map<string, number>();
  for (const server of serversOf(client)) {
    const found = [
      ...(await keysOn(server, `${keys.prefix}:`)),
      ...(await keysOn(server, `${keys.queuePrefix}:`)),
    ];
    found.forEach((key) => placement.set(key, server.options.port as number));
  }

  return placement;
}

/** Every key name the key builders give one agent, for one schedule and one call. */
function keysOfAgent(keys: RedisKeys, agentId: string): string[] {
  const agent = keys.forAgent(agentId);
  const schedule = agent.forSchedule('main');

  return [
    agent.configuration,
    agent.dailyAttempts('2026-01-31'),
    agent.call('3f1c2a9e-7b51-4c5e-9a57-1f0e3e1d2c4b'),
    agent.calls,
    agent.externalIds,
    agent.schedulesWithCalls,
    schedule.leases,
    schedule.lastDial,
    schedule.wake,
    schedule.lines,
    schedule.waiting('America/New_York|'),
    schedule.deferred,
    schedule.expiries,
  ];
}

/** Keys of the app's prefix that name the agent; job ids in the queue's keys name it too. */
function keysNaming(placement: Map<string, number>, keys: RedisKeys, agentId: string): string[] {
  return [...placement.keys()].filter(
    (key) => key.startsWith(`${keys.prefix}:`) && key.includes(agentId),
  );
}

describe('the Redis under the pacing tests', () => {
  let harness: PacingHarness;
  let placement: Map<string, number>;

  /** Each agent: one call dialing (lease, attempts, interval keys), one deferred for an hour. */
  beforeAll(async () => {
    harness = await PacingHarness.start();
    const inAnHour = new Date(Date.now() + HOUR_MS).toISOString();
    for (const [index, agentId] of AGENTS.entries()) {
      await harness.configure({}, {}, agentId);
      const dialing = await harness.enqueue(agentId, {
        to_number: callee(index),
        external_id: `first-${index}`,
        expires_at: inAnHour,
      });
      await harness.enqueue(agentId, { to_number: callee(100 + index), not_before: inAnHour });
      await harness.callReaching(dialing, 'dialing');
    }
    placement = await keyPlacement(harness.testApp.redis, harness.testApp.keys);
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("gives every key that names an agent that agent's id as its hash tag", () => {
    const { keys } = harness.testApp;
    for (const agentId of AGENTS) {
      const agentKeys = keysNaming(placement, keys, agentId);
      expect(agentKeys.length).toBeGreaterThanOrEqual(8);
      expect(agentKeys.filter((key) => hashTagOf(key) !== agentId)).toEqual([]);
    }
    const queueKeys = [...placement.keys()].filter((key) => key.startsWith(keys.queuePrefix));
    expect(queueKeys.length).toBeGreaterThan(0);
    expect(queueKeys.filter((key) => hashTagOf(key) !== keys.prefix)).toEqual([]);
  });

  if (testRedisMode() === 'cluster') {
    describe('on a cluster run', () => {
      let client: Cluster;
      let seedPorts: number[];

      beforeAll(() => {
        client = harness.testApp.redis as Cluster;
        seedPorts = (process.env.OUTPACE_TEST_REDIS_CLUSTER_NODES ?? '')
          .split(',')
          .map((node) => Number(node.split(':')[1]));
      });

      it('connects the app with a cluster client to three masters serving every slot', async () => {
        expect(client).toBeInstanceOf(Cluster);
        const masters = client.nodes('master');
        const ports = masters.map((master) => master.options.port as number);
        expect(ports.sort()).toEqual([...seedPorts].sort());
        for (const master of masters) {
          const info = (await master.cluster('INFO')) as string;
          expect(info).toMatch(/^cluster_state:ok\r?$/m);
          expect(info).toMatch(/^cluster_slots_ok:16384\r?$/m);
          expect(info).toMatch(/^cluster_size:3\r?$/m);
        }
        console.log(`cluster run: 3 masters on ports ${ports.join(', ')}`);
      });

      it("keeps each agent's keys in one slot and spreads agents over every master", async () => {
        const { keys } = harness.testApp;
        const mastersUsed = new Set<number>();

        for (const agentId of AGENTS) {
          const agentKeys = keysNaming(placement, keys, agentId);
          const slots = await Promise.all(agentKeys.map((key) => client.cluster('KEYSLOT', key)));
          expect(new Set(slots).size).toBe(1);
          const ports = new Set(agentKeys.map((key) => placement.get(key)));
          expect(ports.size).toBe(1);
          mastersUsed.add([...ports][0] as number);
        }
        const queueKeys = [...placement.keys()].filter((key) => key.startsWith(keys.queuePrefix));
        const queuePorts = new Set(queueKeys.map((key) => placement.get(key)));
        expect(queuePorts.size).toBe(1);
        console.log(
          `${AGENTS.length} agents' keys on masters ${[...mastersUsed].join(', ')}; ` +
            `wake-up queue on ${[...queuePorts][0]}`,
        );
        expect(mastersUsed.size).toBe(3);
      });

      it('builds one slot for all key names of an agent, others for other agents', async () => {
        const { keys } = harness.testApp;
        const agentSlots = new Set<number>();

        for (let index = 0; index < SAMPLED_AGENTS; index++) {
          const agentId = `10000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
          const slots = await Promise.all(
            keysOfAgent(keys, agentId).map((key) => client.cluster('KEYSLOT', key)),
          );
          expect(new Set(slots).size).toBe(1);
          agentSlots.add(slots[0] as number);
        }
        expect(agentSlots.size).toBeGreaterThan(SAMPLED_AGENTS * 0.9);
      });
    });
  } else {
    describe('on a single-server run', () => {
      it('connects the app with a plain client to the one standalone server', async () => {
        const client = harness.testApp.redis;
        expect(client).toBeInstanceOf(Redis);
        expect(client).not.toBeInstanceOf(Cluster);
        const server = client as Redis;
        expect(server.options.port).toBe(Number(new URL(testRedisUrl()).port));
        expect(await server.info('server')).toMatch(/^redis_mode:standalone\r?$/m);
        console.log(`single-server run: one standalone redis-server on ${server.options.port}`);
      });
    });
  }
});
