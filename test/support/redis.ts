import { randomUUID } from 'node:crypto';

/** The throwaway Redis that `global-setup.ts` started for this run. */
export function testRedisUrl(): string {
  const url = process.env.OUTPACE_TEST_REDIS_URL;
  if (!url) {
    throw new Error('OUTPACE_TEST_REDIS_URL is unset: run the tests through jest (npm test)');
  }
  return url;
}

/** A key prefix no other test file shares, so files can run in parallel on one Redis. */
export function uniquePrefix(label: string): string {
  return `t-${label}-${randomUUID().slice(0, 8)}`;
}
