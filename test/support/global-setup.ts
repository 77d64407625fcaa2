import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedRedis } from '../../src/redis/embedded-redis';
import { LocalRedisCluster } from './redis-cluster';
import { testRedisMode } from './redis';

/** What the run started, for `global-teardown.ts` to stop. */
export interface TestRedisHandle {
  outpaceTestRedis?: { stop: () => Promise<void> };
}

/**
 * Starts the run's throwaway Redis on free ports: one redis-server, or with
 * `OUTPACE_TEST_REDIS=cluster` a three-master Redis Cluster. Test files isolate themselves from
 * each other with a unique key prefix (see `test/support/redis.ts`).
 */
export default async function globalSetup(): Promise<void> {
  const handle = globalThis as TestRedisHandle;

  if (testRedisMode() === 'cluster') {
    const cluster = await LocalRedisCluster.start();
    process.env.OUTPACE_TEST_REDIS_CLUSTER_NODES = cluster.seedNodes.join(',');
    handle.outpaceTestRedis = cluster;
    console.log(
      `\nTests run on a Redis Cluster of ${cluster.masters.length} masters: ` +
        cluster.seedNodes.join(', '),
    );

    return;
  }
  const redis = await EmbeddedRedis.start({
    dataDirectory: mkdtempSync(join(tmpdir(), 'outpace-test-redis-')),
    appendOnly: false,
  });
  process.env.OUTPACE_TEST_REDIS_URL = redis.url;
  handle.outpaceTestRedis = redis;
}
