import { Logger } from '@nestjs/common';
import { RedisClient } from '../redis/redis-connection';
import { isRedisUnavailable } from '../redis/redis-unavailable';

/** How long a decision whose reply was lost waits for Redis to come back before giving up. */
const READ_BACK_WITHIN_MS = 300_000;
const READ_BACK_EVERY_MS = 500;

const logger = new Logger('DecisionJournal');

/**
 * The reply of a dial decision that Redis may have taken without the answer reaching this
 * process (the connection dropped, or Redis was killed after writing it). Once Redis answers
 * again, the journal that `decide-dials.lua` keeps of every decision with dials tells: present,
 * the decision was taken and its dials are returned, to be dialed now; absent, it never ran (or
 * decided no dial), and the original error stands, so that the wake-up is tried again afresh.
 * Limitation: a journal outlives an outage of at most 10 minutes (its expiry, on Redis's clock).
 */
export async function readBackDecision(
  redis: RedisClient,
  journal: string,
  error: unknown,
): Promise<unknown> {
  if (!isRedisUnavailable(error)) {
    throw error;
  }
  const deadline = Date.now() + READ_BACK_WITHIN_MS;

  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, READ_BACK_EVERY_MS));
    try {
      const text = await redis.get(journal);
      if (text === null) {
        throw error;
      }
      logger.warn({ event: 'decision.recovered', journal }, 'lost decision reply read back');

      return fromJournal(text);
    } catch (readError) {
      if (readError === error || !isRedisUnavailable(readError) || Date.now() > deadline) {
        throw error;
      }
    }
  }
}

/** Drops a journal once its reply arrived; an outage meanwhile leaves it to its expiry. */
export function forgetDecision(redis: RedisClient, journal: string): void {
  redis.del(journal).catch(() => undefined);
}

/** Lua's cjson writes an empty list as `{}`; the decision's lists come back as arrays. */
function fromJournal(text: string): unknown[] {
  const reply = JSON.parse(text) as unknown[];

  return reply.map((part) =>
    typeof part === 'object' && part !== null && !Array.isArray(part) ? [] : part,
  );
}
