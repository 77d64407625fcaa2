import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Environment } from '../environment/environment';
import { ENVIRONMENT } from '../environment/environment.module';
import { LuaScripts } from '../redis/lua-scripts';
import { connectRedis, RedisClient } from '../redis/redis-connection';
import { RedisKeys } from '../redis/redis-keys';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { JOBS, QUEUES, WakeJob } from './queues';

/** Failed wake-ups retry quickly: a lost one would leave a schedule idle until the next event. */
const WAKE_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 100 },
  removeOnComplete: true,
  removeOnFail: 1000,
} as const;

/** While Redis is away, wake-ups whose job could not be added are tried again this often. */
const READD_EVERY_MS = 500;

/** A schedule's wake-up at an instant (ms, Redis clock). */
interface WakeUp {
  agentId: string;
  scheduleId: string;
  atMs: number;
}

/**
 * Asks for a schedule's dial decisions to run at an instant, as a BullMQ job. Requests collapse:
 * the schedule's wake-up marker keeps the earliest pending instant, and requests at or after it
 * add nothing. The marker is claimed before the job is added.
 * Limitation: a process that dies between the claim and the add leaves the marker standing for
 * its grace period (10 s past its instant); a wake-up inside that span waits for the next event.
 * Where Redis goes away between the claim and the add, the process keeps the wake-up and adds its
 * job once Redis is back, so that the schedule does not sleep until some later event.
 */
@Injectable()
export class WakeRequests implements OnModuleDestroy {
  readonly queue: Queue<WakeJob>;
  private readonly connection: RedisClient;
  private readonly logger = new Logger(WakeRequests.name);
  /** Claimed wake-ups whose job Redis did not take, by job id. */
  private readonly unadded = new Map<string, WakeUp>();
  private readdTimer: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(
    @Inject(ENVIRONMENT) environment: Environment,
    private readonly keys: RedisKeys,
    private readonly scripts: LuaScripts,
  ) {
    this.connection = connectRedis(environment, 'queue');
    this.queue = new Queue<WakeJob>(QUEUES.wake, {
      connection: this.connection,
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
    const wakeUp = { agentId, scheduleId, atMs };
    try {
      await this.add(wakeUp, atMs - nowMs);
    } catch (error) {
      if (!isRedisUnavailable(error)) {
        throw error;
      }
      this.keepUntilRedisIsBack(wakeUp, error);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.readdTimer) {
      clearTimeout(this.readdTimer);
    }
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  private async add(wakeUp: WakeUp, delayMs: number): Promise<void> {
    const { agentId, scheduleId } = wakeUp;
    await this.queue.add(
      JOBS.wake,
      { agentId, scheduleId },
      { jobId: jobIdOf(wakeUp), delay: Math.max(0, delayMs) },
    );
  }

  private keepUntilRedisIsBack(wakeUp: WakeUp, error: unknown): void {
    this.unadded.set(jobIdOf(wakeUp), wakeUp);
    this.logger.warn(
      { event: 'wake.deferred', ...wakeUp, err: error },
      'Redis unavailable: wake-up job kept to be added once it is back',
    );
    this.readdLater();
  }

  private readdLater(): void {
    if (this.readdTimer === null && this.unadded.size > 0 && !this.closing) {
      this.readdTimer = setTimeout(() => void this.readdAll(), READD_EVERY_MS);
    }
  }

  /** Adds the kept jobs in order; stops at the first failure, Redis being still away. */
  private async readdAll(): Promise<void> {
    for (const [jobId, wakeUp] of [...this.unadded]) {
      try {
        // The local clock stands in for Redis's here: a late re-add is due at once anyway.
        await this.add(wakeUp, wakeUp.atMs - Date.now());
      } catch {
        break;
      }
      this.unadded.delete(jobId);
    }
    this.readdTimer = null;
    this.readdLater();
  }
}

/** Jobs for the same instant share an id, so that adding one twice adds it once. */
function jobIdOf({ agentId, scheduleId, atMs }: WakeUp): string {
  return `${agentId}|${encodeURIComponent(scheduleId)}|${atMs}`;
}
