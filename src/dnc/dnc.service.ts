import { Inject, Injectable, Logger } from '@nestjs/common';
import { maskPhoneNumber } from '../common/phone-number';
import { REDIS } from '../redis/redis.module';
import { RedisClient } from '../redis/redis-connection';
import { RedisKeys } from '../redis/redis-keys';

/**
 * A bulk add is sent as SADDs of this many members: one command of 100,000 members would hold
 * Redis for tens of milliseconds, stalling every other process's dial decisions meanwhile.
 */
const NUMBERS_PER_COMMAND = 10_000;

export interface BulkAddResult {
  added: number;
  alreadyListed: number;
}

/**
 * The do-not-call list: one Redis set of E.164 numbers shared by every agent. Every method takes
 * numbers already in E.164 form; parsing what people type is the HTTP edge's job.
 */
@Injectable()
export class DncService {
  private readonly logger = new Logger(DncService.name);

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  /** Lists a number; true when it was not listed before. */
  async add(phoneNumber: string): Promise<boolean> {
    const added = (await this.redis.sadd(this.keys.doNotCall, phoneNumber)) === 1;

    if (added) {
      this.logger.log(`do-not-call added phone_number=${maskPhoneNumber(phoneNumber)}`);
    }

    return added;
  }

  /** Takes a number off the list; false when it was not listed. */
  async remove(phoneNumber: string): Promise<boolean> {
    const removed = (await this.redis.srem(this.keys.doNotCall, phoneNumber)) === 1;

    if (removed) {
      this.logger.log(`do-not-call removed phone_number=${maskPhoneNumber(phoneNumber)}`);
    }

    return removed;
  }

  async isListed(phoneNumber: string): Promise<boolean> {
    return (await this.redis.sismember(this.keys.doNotCall, phoneNumber)) === 1;
  }

  /**
   * Whether each number is listed, in the order given, in one round trip: the pacing engine asks
   * this at dial time for every call it is about to dial.
   */
  async listed(phoneNumbers: readonly string[]): Promise<boolean[]> {
    if (phoneNumbers.length === 0) {
      return [];
    }
    const answers = await this.redis.smismember(this.keys.doNotCall, ...phoneNumbers);

    return answers.map((answer) => answer === 1);
  }

  /**
   * Lists every number, one chunk per command. The chunks are not one transaction: a failure part
   * way leaves the earlier chunks listed, and sending the same list again completes it.
   */
  async addMany(phoneNumbers: readonly string[]): Promise<BulkAddResult> {
    let added = 0;
    for (let start = 0; start < phoneNumbers.length; start += NUMBERS_PER_COMMAND) {
      const chunk = phoneNumbers.slice(start, start + NUMBERS_PER_COMMAND);
      added += await this.redis.sadd(this.keys.doNotCall, ...chunk);
    }
    const alreadyListed = phoneNumbers.length - added;

    this.logger.log(`do-not-call bulk add added=${added} already_listed=${alreadyListed}`);

    return { added, alreadyListed };
  }
}
