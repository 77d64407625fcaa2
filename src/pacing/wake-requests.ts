import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { LuaScripts } from '../redis/lua-scripts';
import { REDIS } from '../redis/redis.module';
import { RedisClient } from '../redis/redis-connection';
import { RedisKeys } from '../redis/redis-keys';
import { JOBS, QUEUES, WakeJob } from './queues';

/** Failed wake-ups retry quickly: a lost one would leave a schedule idle until the next event. */
const WAKE_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 100 },
  removeOnComplete: true,
  removeOnFail: 1000,
} as const;

/**
 * Asks for a schedule's dial decisions to run at an instant, as a BullMQ job. Requests collapse:
 * the schedule's wake-up marker keeps the earliest pending instant, and requests at or after it
 * add nothing; jobs for the same instant share an id.
 */
@Injectable()
export class WakeRequests implements OnModuleDestroy {
  readonly queue: Queue<WakeJob>;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly scripts: LuaScripts,
  ) {
    this.queue = new Queue<WakeJob>(QUEUES.wake, {
      connection: redis,
      prefix: keys.queuePrefix,
      defaultJobOptions: WAKE_JOB_OPTIONS,
    });
  }

  /**
   * Wakes the schedule at `atMs` (Redis clock), given the Redis clock now. The job goes in first,
   * then the marker: a crash between the two leaves an extra wake-up, never a missing one.
   */
  async request(agentId: string, scheduleId: string, atMs: number, nowMs: number): Promise<void> {
    await this.queue.add(
      JOBS.wake,
      { agentId, scheduleId },
      {
        jobId: `${agentId}|${encodeURIComponent(scheduleId)}|${atMs}`,
        delay: Math.max(0, atMs - nowMs),
      },
    );
    await this.scripts.run(
      'request-wake',
      [this.keys.forAgent(agentId).forSchedule(scheduleId).wake],
      [atMs],
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }
}
