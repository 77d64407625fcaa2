import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedRedis } from '../../src/redis/embedded-redis';

/**
 * Starts one throwaway redis-server on a free port for the whole run. Test files isolate
 * themselves from each other with a unique key prefix (see `test/support/redis.ts`).
 */
export default async function globalSetup(): Promise<void> {
  const redis = await EmbeddedRedis.start({
    dataDirectory: mkdtempSync(join(tmpdir(), 'outpace-test-redis-')),
    appendOnly: false,
  });
  process.env.OUTPACE_TEST_REDIS_URL = redis.url;
  (globalThis as { outpaceTestRedis?: EmbeddedRedis }).outpaceTestRedis = redis;
}
