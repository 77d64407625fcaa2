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
 * add nothing. The marker is claimed before the job is added.
 * Limitation: a process that dies between the claim and the add leaves the marker standing for
 * its grace period (10 s past its instant); a wake-up inside that span waits for the next event.
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

  /** Wakes the schedule at `atMs` (Redis clock) unless a wake-up at or before it is pending. */
  async request(agentId: string, scheduleId: string, atMs: number, nowMs: number): Promise<void> {
    const claimed = await this.scripts.run(
      'request-wake',
      [this.keys.forAgent(agentId).forSchedule(scheduleId).wake],
      [atMs],
    );
    if (claimed === 1) {
      await this.addJob(agentId, scheduleId, atMs, nowMs);
    }
  }

  /**
   * Adds the job of a wake-up whose marker a script already claimed. Jobs for the same instant
   * share an id, so two processes adding the same wake-up add one job.
   */
  async addJob(agentId: string, scheduleId: string, atMs: number, nowMs: number): Promise<void> {
    await this.queue.add(
      JOBS.wake,
      { agentId, scheduleId },
      {
        jobId: `${agentId}|${encodeURIComponent(scheduleId)}|${atMs}`,
        delay: Math.max(0, atMs - nowMs),
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }
}
