import Redis from 'ioredis';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedRedis, findFreePort } from '../../src/redis/embedded-redis';

const run = promisify(execFile);

/** Slots of a Redis Cluster: every one must be served before the cluster answers. */
const CLUSTER_SLOTS = 16384;
const READY_WITHIN_MS = 20_000;

/**
 * A throwaway Redis Cluster of masters only, each a `redis-server --cluster-enabled yes` child on
 * free loopback ports, without persistence, joined with `redis-cli --cluster create`.
 */
export class LocalRedisCluster {
  private constructor(readonly masters: EmbeddedRedis[]) {}

  /** `host:port` of every master, the form `REDIS_CLUSTER_NODES` takes. */
  get seedNodes(): string[] {
    return this.masters.map((master) => `127.0.0.1:${master.port}`);
  }

  static async start(masterCount = 3): Promise<LocalRedisCluster> {
    const directory = mkdtempSync(join(tmpdir(), 'outpace-test-cluster-'));
    const masters: EmbeddedRedis[] = [];

    try {
      for (let index = 0; index < masterCount; index++) {
        masters.push(await startClusterNode(join(directory, `node-${index}`)));
      }
      const cluster = new LocalRedisCluster(masters);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...cluster.seedNodes,
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await Promise.all(masters.map((master) => waitUntilServing(master.port, masterCount)));

      return cluster;
    } catch (error) {
      await Promise.all(masters.map((master) => master.stop()));
      throw error;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.masters.map((master) => master.stop()));
  }
}

/**
 * One cluster node. Its bus port is chosen free rather than left at port + 10000, which passes
 * 65535 for the high ports the system hands out.
 */
async function startClusterNode(dataDirectory: string): Promise<EmbeddedRedis> {
  const busPort = await findFreePort();

  return EmbeddedRedis.start({
    dataDirectory,
    appendOnly: false,
    serverArguments: [
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-port',
      String(busPort),
      '--cluster-node-timeout',
      '5000',
    ],
  });
}

/** Waits until the node sees the whole cluster with every slot served. */
async function waitUntilServing(port: number, masterCount: number): Promise<void> {
  const node = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  const deadline = Date.now() + READY_WITHIN_MS;
  let state = '';

  try {
    while (Date.now() < deadline) {
      state = (await node.cluster('INFO')) as string;
      if (
        fieldOf(state, 'cluster_state') === 'ok' &&
        fieldOf(state, 'cluster_slots_ok') === String(CLUSTER_SLOTS) &&
        fieldOf(state, 'cluster_known_nodes') === String(masterCount)
      ) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`cluster node ${port} not serving within ${READY_WITHIN_MS} ms:\n${state}`);
  } finally {
    node.disconnect();
  }
}

function fieldOf(clusterInfo: string, name: string): string | undefined {
  return new RegExp(`^${name}:(\\S+)`, 'm').exec(clusterInfo)?.[1];
}
