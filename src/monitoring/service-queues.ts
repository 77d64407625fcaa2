import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { WakeRequests } from '../pacing/wake-requests';

/** Every BullMQ queue of the service, for Bull Board and the queue-depth gauge. */
@Injectable()
export class ServiceQueues {
  constructor(private readonly wakes: WakeRequests) {}

  get all(): Queue[] {
    return [this.wakes.queue];
  }
}
