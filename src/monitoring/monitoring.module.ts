import { Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import { WakeModule } from '../pacing/wake.module';
import { REDIS } from '../redis/redis.module';
import { RedisClient } from '../redis/redis-connection';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { ServiceQueues } from './service-queues';

/** Metrics and the queue list, in every role; global so any module can count what it does. */
@Global()
@Module({
  imports: [WakeModule],
  controllers: [MetricsController],
  providers: [Metrics, ServiceQueues],
  exports: [Metrics, ServiceQueues],
})
export class MonitoringModule implements OnModuleInit {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly queues: ServiceQueues,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.redis.on('error', () => this.metrics.redisErrors.inc({ source: 'redis' }));
    for (const queue of this.queues.all) {
      queue.on('error', () => this.metrics.redisErrors.inc({ source: `queue:${queue.name}` }));
    }
  }
}
