import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Worker } from 'bullmq';
import { Environment } from '../environment/environment';
import { ENVIRONMENT } from '../environment/environment.module';
import { connectRedis, RedisClient } from '../redis/redis-connection';
import { RedisKeys } from '../redis/redis-keys';
import { PacingService } from './pacing.service';
import { QUEUES, WakeJob } from './queues';

/** Wake-ups run at once per process; each mostly waits on Redis and the dialer. */
const WAKE_CONCURRENCY = 64;

/** Consumes the wake-up queue: one BullMQ worker per process, whatever the number of agents. */
@Injectable()
export class PacingWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PacingWorker.name);
  private worker: Worker<WakeJob> | null = null;
  private connection: RedisClient | null = null;

  constructor(
    @Inject(ENVIRONMENT) private readonly environment: Environment,
    private readonly keys: RedisKeys,
    private readonly pacing: PacingService,
  ) {}

  onApplicationBootstrap(): void {
    this.connection = connectRedis(this.environment, 'worker');
    this.worker = new Worker<WakeJob>(
      QUEUES.wake,
      (job) => this.pacing.wake(job.data.agentId, job.data.scheduleId),
      {
        connection: this.connection,
        prefix: this.keys.queuePrefix,
        concurrency: WAKE_CONCURRENCY,
      },
    );
    this.worker.on('failed', (job, error) =>
      this.logger.error({ event: 'wake.failed', jobId: job?.id, err: error }, 'wake-up failed'),
    );
    this.worker.on('error', (error) =>
      this.logger.error({ event: 'worker.error', err: error }, 'worker error'),
    );
  }

  /** Takes no new wake-up, timed or queued, and waits for the running ones and their dials. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.pacing.stop(), this.worker?.close()]);
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }
}
