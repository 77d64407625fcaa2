import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { REDIS } from '../redis/redis.module';
import { RedisClient } from '../redis/redis-connection';
import { RedisKeys } from '../redis/redis-keys';
import { OutboundConfiguration, VersionedConfiguration } from './configuration.types';

/**
 * Keeps each agent's configuration in one Redis hash, written whole in one transaction so that a
 * reader never sees a mix of two versions. Beside the JSON it keeps compact copies of what the
 * pacing scripts read on every dial decision (numbers and schedule rules), so that they need not
 * decode the whole document.
 */
@Injectable()
export class ConfigurationStore {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async save(configuration: OutboundConfiguration): Promise<VersionedConfiguration> {
    const key = this.keys.forAgent(configuration.agent_id).configuration;
    const version = randomUUID();
    await this.redis
      .multi()
      .del(key)
      .hset(key, pacingFields(configuration, version))
      .exec()
      .then(failOnTransactionError);

    return { version, configuration };
  }

  async load(agentId: string): Promise<VersionedConfiguration | null> {
    const [json, version] = await this.redis.hmget(
      this.keys.forAgent(agentId).configuration,
      'json',
      'version',
    );
    if (json === null || version === null) {
      return null;
    }

    return { version, configuration: JSON.parse(json) as OutboundConfiguration };
  }

  /** Removes the configuration; true when there was one. */
  async remove(agentId: string): Promise<boolean> {
    return (await this.redis.del(this.keys.forAgent(agentId).configuration)) > 0;
  }
}

/**
 * The hash fields. `numbers` is `[[phone, daily_limit, enabled, is_default], ...]` and each
 * `schedule:<id>` is `[enabled, max_concurrent_calls, call_interval_ms, respect_dnc]`, with
 * booleans as 0/1: the shapes `decide-dials.lua` reads.
 */
export function pacingFields(
  configuration: OutboundConfiguration,
  version: string,
): Record<string, string> {
  const fields: Record<string, string> = {
    json: JSON.stringify(configuration),
    version,
    numbers: JSON.stringify(
      configuration.phone_numbers.map((number) => [
        number.phone_number,
        number.daily_limit,
        number.enabled ? 1 : 0,
        number.is_default ? 1 : 0,
      ]),
    ),
  };
  for (const schedule of configuration.schedules) {
    fields[`schedule:${schedule.id}`] = JSON.stringify([
      schedule.enabled ? 1 : 0,
      schedule.max_concurrent_calls,
      Math.round(schedule.call_interval_seconds * 1000),
      schedule.respect_dnc ? 1 : 0,
    ]);
  }

  return fields;
}

function failOnTransactionError(results: [Error | null, unknown][] | null): void {
  const failure = results?.find(([error]) => error !== null)?.[0];
  if (!results || failure) {
    throw failure ?? new Error('Redis transaction was aborted');
  }
}
