import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ServiceQueues } from './service-queues';

/** BullMQ job states worth a depth each. */
const QUEUE_STATES = ['waiting', 'delayed', 'active', 'failed', 'prioritized'] as const;

/** From a fast driver answer (10 ms) to a dialer on its last retry (30 s). */
const DIAL_LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Calls may wait from moments to days (not_before, closed windows, daily limits). */
const ENQUEUE_TO_DIAL_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 86400];

/**
 * The service's Prometheus metrics, on a registry of its own so that tests and several apps in
 * one process never share counts.
 *
 * No metric is labelled by agent id: with thousands of agents that would be thousands of series
 * per metric. Counters are per process; Prometheus sums them across the API and worker processes.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  /**
   * A counter of status changes, not a gauge of calls per status: the calls live in Redis, one
   * hash each, and counting them by status at every scrape would read every call. The counter
   * costs nothing, sums across processes, and `rate()` gives the flow through each status.
   */
  readonly callStatusChanges = new Counter({
    name: 'outpace_call_status_changes_total',
    help: 'Calls that entered a status (queued, dialing, blocked, completed, ...).',
    labelNames: ['status'],
    registers: [this.registry],
  });

  readonly dials = new Counter({
    name: 'outpace_dials_total',
    help: 'Dials handed to the dialer, by its answer (placed, rejected, unreachable).',
    labelNames: ['answer'],
    registers: [this.registry],
  });

  readonly blocks = new Counter({
    name: 'outpace_blocks_total',
    help: 'Calls blocked instead of dialed, by reason (dnc, schedule_removed, ...).',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  /**
   * Raised when a dial is placed, lowered when its call ends. Reading every schedule's lease set
   * at scrape would mean finding every schedule of every agent, which is not cheap; so this is
   * kept by events instead. A dial is placed by a worker and ends through the API's event route,
   * so one process's value means little: `sum by (schedule)` across processes is the live count.
   * The label is the schedule id as configured (such as `weekdays`), not the agent.
   */
  readonly liveCalls = new Gauge({
    name: 'outpace_live_calls',
    help: 'Calls holding a concurrency slot, by schedule id; sum across processes.',
    labelNames: ['schedule'],
    registers: [this.registry],
  });

  readonly dialLatency = new Histogram({
    name: 'outpace_dial_latency_seconds',
    help: 'How long the dialer took to answer a dial.',
    buckets: DIAL_LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly enqueueToDial = new Histogram({
    name: 'outpace_enqueue_to_dial_seconds',
    help: 'From a call being queued to its first dial.',
    buckets: ENQUEUE_TO_DIAL_BUCKETS,
    registers: [this.registry],
  });

  readonly redisErrors = new Counter({
    name: 'outpace_redis_errors_total',
    help: 'Errors reported by the Redis connections and the BullMQ queues.',
    labelNames: ['source'],
    registers: [this.registry],
  });

  readonly queueJobs: Gauge;

  constructor(queues: ServiceQueues) {
    this.queueJobs = new Gauge({
      name: 'outpace_queue_jobs',
      help: 'Jobs in each BullMQ queue by state, read from Redis at scrape.',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const queue of queues.all) {
          const counts = await queue.getJobCounts(...QUEUE_STATES);
          for (const state of QUEUE_STATES) {
            this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }
        }
      },
    });
  }

  /** A dial the dialer answered; `firstQueuedAtMs` is the call's creation for a first attempt. */
  dialed(scheduleId: string, answer: string, latencyMs: number, firstQueuedAtMs: number | null) {
    this.dials.inc({ answer });
    this.dialLatency.observe(latencyMs / 1000);
    if (answer === 'placed') {
      this.callStatusChanges.inc({ status: 'dialing' });
      this.liveCalls.inc({ schedule: scheduleId });
    }
    if (firstQueuedAtMs !== null && Number.isFinite(firstQueuedAtMs)) {
      this.enqueueToDial.observe(Math.max(0, Date.now() - firstQueuedAtMs) / 1000);
    }
  }

  /** Calls that will not be dialed; `status` is `blocked`, or `cancelled` when their agent left. */
  blocked(reason: string, count = 1, status = 'blocked'): void {
    this.blocks.inc({ reason }, count);
    this.callStatusChanges.inc({ status }, count);
  }

  /** Calls that entered a status other than through a dial or a block. */
  entered(status: string, count = 1): void {
    this.callStatusChanges.inc({ status }, count);
  }

  /** A placed call ended (or will be retried): its slot is free. */
  callEnded(scheduleId: string, status: string): void {
    this.callStatusChanges.inc({ status });
    this.liveCalls.dec({ schedule: scheduleId });
  }
}
