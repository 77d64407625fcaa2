import { Inject, Injectable, Logger } from '@nestjs/common';
import { NotFoundError } from '../common/domain-errors';
import { Metrics } from '../monitoring/metrics';
import { WakeRequests } from '../pacing/wake-requests';
import { LuaScripts } from '../redis/lua-scripts';
import { REDIS } from '../redis/redis.module';
import { RedisClient } from '../redis/redis-connection';
import { RedisKeys } from '../redis/redis-keys';
import { CallEventStatus } from './call.types';
import { parseOwner } from './call-owner';

export interface CallEvent {
  status: CallEventStatus;
  durationSeconds?: number;
  /** The attempt the event is about; the current one when absent. */
  attempt?: number;
}

/**
 * What the script made of an event: `unknown` call, `stale` (an earlier attempt), `unchanged`
 * (a repeat, or the call already ended), `in_progress`, `retry` (queued again) or `ended`.
 */
export type CallEventResult = 'unknown' | 'stale' | 'unchanged' | 'in_progress' | 'retry' | 'ended';

/** Applies the telephony side's progress events; an end frees the slot and wakes the schedule. */
@Injectable()
export class CallEventsService {
  private readonly logger = new Logger(CallEventsService.name);

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly scripts: LuaScripts,
    private readonly wakes: WakeRequests,
    private readonly metrics: Metrics,
  ) {}

  async apply(callId: string, event: CallEvent): Promise<CallEventResult> {
    const owner = parseOwner(await this.redis.get(this.keys.callOwner(callId)));
    if (!owner) {
      throw new NotFoundError(`No call ${callId}.`);
    }
    const { agentId, scheduleId } = owner;
    const agentKeys = this.keys.forAgent(agentId);
    const scheduleKeys = agentKeys.forSchedule(scheduleId);
    const [result, wakeAt] = (await this.scripts.run(
      'end-call',
      [
        agentKeys.call(callId),
        scheduleKeys.leases,
        scheduleKeys.deferred,
        scheduleKeys.expiries,
        scheduleKeys.wake,
        agentKeys.configuration,
        scheduleKeys.lines,
      ],
      [callId, event.status, event.attempt ?? '', event.durationSeconds ?? ''],
    )) as [CallEventResult, number];
    if (result === 'unknown') {
      throw new NotFoundError(`No call ${callId}.`);
    }

    if (wakeAt >= 0) {
      await this.wakes.addJob(agentId, scheduleId, wakeAt, wakeAt);
    }
    if (result === 'retry' || result === 'ended') {
      this.metrics.callEnded(scheduleId, result === 'retry' ? 'queued' : event.status);
      this.logger.log(
        {
          event: `call.${result === 'retry' ? 'retry_queued' : 'ended'}`,
          agentId,
          scheduleId,
          callId,
          status: event.status,
        },
        result === 'retry' ? 'call will be tried again' : 'call ended',
      );
    }

    return result;
  }
}
