import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Environment, readEnvironment } from '../../src/environment/environment';
import { EmbeddedRedis } from '../../src/redis/embedded-redis';
import { connectRedis, RedisClient } from '../../src/redis/redis-connection';
import { LocalRedisCluster } from './redis-cluster';

/**
 * What the tests run on: one `redis-server` (`single`, the default) or a local three-master
 * Redis Cluster (`OUTPACE_TEST_REDIS=cluster`), which `global-setup.ts` starts for the run.
 */
export type TestRedisMode = 'single' | 'cluster';

export function testRedisMode(): TestRedisMode {
  const mode = process.env.OUTPACE_TEST_REDIS || 'single';
  if (mode !== 'single' && mode !== 'cluster') {
    throw new Error(`OUTPACE_TEST_REDIS is "${mode}": use "single" or "cluster"`);
  }

  return mode;
}

/** The throwaway single Redis that `global-setup.ts` started for this run. */
export function testRedisUrl(): string {
  const url = process.env.OUTPACE_TEST_REDIS_URL;
  if (!url) {
    throw new Error(
      'OUTPACE_TEST_REDIS_URL is unset: run the tests through jest (npm test); ' +
        'on a cluster run use testRedisVariables()',
    );
  }
  return url;
}

/**
 * The service's Redis variables for the run's throwaway Redis, single or cluster. The other one
 * is blank, so that spreading these over earlier variables replaces both.
 */
export function testRedisVariables(): Record<'REDIS_URL' | 'REDIS_CLUSTER_NODES', string> {
  if (testRedisMode() === 'cluster') {
    const nodes = process.env.OUTPACE_TEST_REDIS_CLUSTER_NODES;
    if (!nodes) {
      throw new Error('OUTPACE_TEST_REDIS_CLUSTER_NODES is unset: run the tests through jest');
    }

    return { REDIS_URL: '', REDIS_CLUSTER_NODES: nodes };
  }

  return { REDIS_URL: testRedisUrl(), REDIS_CLUSTER_NODES: '' };
}

/** The Redis variables of an environment, for further processes on the same Redis. */
export function redisVariablesOf(
  environment: Environment,
): Record<'REDIS_URL' | 'REDIS_CLUSTER_NODES', string> {
  return {
    REDIS_URL: environment.redisUrl ?? '',
    REDIS_CLUSTER_NODES: environment.redisClusterNodes?.join(',') ?? '',
  };
}

/** A connection of a test's own to the run's Redis: a cluster client on a cluster run. */
export function connectTestRedis(): RedisClient {
  return connectRedis(readEnvironment(testRedisVariables()), 'commands');
}

/** A key prefix no other test file shares, so files can run in parallel on one Redis. */
export function uniquePrefix(label: string): string {
  return `t-${label}-${randomUUID().slice(0, 8)}`;
}

/**
 * A Redis for one test file alone, of the run's kind: for measurements that the other files'
 * traffic would disturb.
 */
export interface PrivateTestRedis {
  /** The service's Redis variables for it. */
  variables: Record<'REDIS_URL' | 'REDIS_CLUSTER_NODES', string>;
  /** Every server behind it: the one server, or each master of the cluster. */
  servers: EmbeddedRedis[];
  stop: () => Promise<void>;
}

export async function startPrivateTestRedis(): Promise<PrivateTestRedis> {
  if (testRedisMode() === 'cluster') {
    const cluster = await LocalRedisCluster.start();

    return {
      variables: { REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.seedNodes.join(',') },
      servers: cluster.masters,
      stop: () => cluster.stop(),
    };
  }
  const server = await EmbeddedRedis.start({
    dataDirectory: mkdtempSync(join(tmpdir(), 'outpace-private-redis-')),
    appendOnly: false,
  });

  return {
    variables: { REDIS_URL: server.url, REDIS_CLUSTER_NODES: '' },
    servers: [server],
    stop: () => server.stop(),
  };
}
