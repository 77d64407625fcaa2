import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '../redis/redis.module';
import { RedisClient } from '../redis/redis-connection';
import { RedisKeys } from '../redis/redis-keys';
import { readoutOf, todayOf } from './configuration-readout';
import { ConfigurationReadout, OutboundConfiguration } from './configuration.types';

/** The readout of a configuration now, from today's attempt counters in Redis. */
@Injectable()
export class LiveReadout {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async of(configuration: OutboundConfiguration): Promise<ConfigurationReadout> {
    // The one place the readout meets the clock; everything it computes takes this instant.
    const nowMs = Date.now();
    const today = todayOf(configuration, nowMs);
    const counters = await this.redis.hgetall(
      this.keys.forAgent(configuration.agent_id).dailyAttempts(today),
    );

    return readoutOf(configuration, attemptsFrom(counters), nowMs);
  }
}

function attemptsFrom(counters: Record<string, string>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counters).map(([phoneNumber, attempts]) => [phoneNumber, Number(attempts)]),
  );
}
