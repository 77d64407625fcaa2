import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CalleeZoneResolver } from '../calendar/callee-zones';
import {
  ConflictError,
  FieldProblem,
  InvalidRequestError,
  NoConfigurationError,
  NotFoundError,
} from '../common/domain-errors';
import { maskPhoneNumber } from '../common/phone-number';
import { validateAs } from '../common/validation';
import { ConfigurationStore } from '../configuration/configuration.store';
import { OutboundConfiguration } from '../configuration/configuration.types';
import { Metrics } from '../monitoring/metrics';
import { WakeRequests } from '../pacing/wake-requests';
import { lineName } from '../pacing/waiting-line';
import { LuaScripts } from '../redis/lua-scripts';
import { REDIS } from '../redis/redis.module';
import { RedisClient } from '../redis/redis-connection';
import { RedisKeys } from '../redis/redis-keys';
import { CallRecord, recordOf, toCall } from './call-record';
import { Call, CallStatus } from './call.types';
import { ownerValue, parseOwner } from './call-owner';
import { placeCall, PlacedCall } from './call-placement';
import { runsOf, storeArguments, storeKeys } from './store-runs';
import { CallRequestDto } from './dto/call-request.dto';

export interface EnqueueResult {
  call: Call;
  /** False when the external id was known: `call` is the earlier one. */
  created: boolean;
}

export interface BatchResult {
  accepted: Call[];
  rejected: { index: number; details: FieldProblem[] }[];
}

export interface CallPage {
  calls: Call[];
  next_cursor: string | null;
}

/** Why a schedule's waiting calls all end at once. */
export type WaitingCallsEnd = 'configuration_removed' | 'schedule_removed';

/** Calls scanned at most for one page of a filtered listing. */
const LIST_SCAN_LIMIT = 5000;

/** Why a batch item that passed validation was rejected all the same. */
const NOT_STORED: FieldProblem = {
  field: 'item',
  problem: 'was not stored: the data store refused it; send it again',
};

@Injectable()
export class CallsService {
  private readonly logger = new Logger(CallsService.name);

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly scripts: LuaScripts,
    private readonly configurations: ConfigurationStore,
    private readonly zones: CalleeZoneResolver,
    private readonly wakes: WakeRequests,
    private readonly metrics: Metrics,
  ) {}

  async enqueue(agentId: string, request: CallRequestDto): Promise<EnqueueResult> {
    const configuration = await this.configurationOf(agentId);
    const placed = await this.place(request, configuration);
    const [result] = await this.store(agentId, [placed]);
    if (result instanceof Error) {
      throw result;
    }

    return result;
  }

  /** Validates each item on its own: a bad item is rejected, the others are enqueued. */
  async enqueueBatch(agentId: string, items: unknown[]): Promise<BatchResult> {
    const configuration = await this.configurationOf(agentId);
    const rejected: BatchResult['rejected'] = [];
    const placed: { index: number; call: PlacedCall }[] = [];

    for (const [index, item] of items.entries()) {
      try {
        const request = await validateAs(CallRequestDto, item);
        placed.push({ index, call: await this.place(request, configuration) });
      } catch (error) {
        if (!(error instanceof InvalidRequestError)) {
          throw error;
        }
        rejected.push({ index, details: error.details });
      }
    }
    const results = await this.store(
      agentId,
      placed.map((entry) => entry.call),
    );
    const accepted: Call[] = [];
    const failures: { index: number; error: Error }[] = [];
    results.forEach((result, position) => {
      const index = placed[position].index;
      if (result instanceof InvalidRequestError) {
        rejected.push({ index, details: result.details });
      } else if (result instanceof Error) {
        failures.push({ index, error: result });
      } else {
        accepted.push(result.call);
      }
    });
    if (failures.length > 0) {
      // Where some calls were stored, the answer must list them: the failed ones are rejected
      // rather than the whole batch answered with an error that hides what was accepted.
      if (accepted.length === 0) {
        throw failures[0].error;
      }
      this.logger.error(
        { event: 'calls.store_failed', agentId, count: failures.length, err: failures[0].error },
        'some calls of a batch were not stored',
      );
      rejected.push(...failures.map(({ index }) => ({ index, details: [NOT_STORED] })));
    }

    return { accepted, rejected: rejected.sort((left, right) => left.index - right.index) };
  }

  async get(callId: string): Promise<Call> {
    const owner = parseOwner(await this.redis.get(this.keys.callOwner(callId)));
    const record = owner
      ? recordOf(await this.redis.hgetall(this.keys.forAgent(owner.agentId).call(callId)))
      : null;
    if (!owner || !record) {
      throw new NotFoundError(`No call ${callId}.`);
    }

    return toCall(callId, owner.agentId, record);
  }

  async cancel(callId: string): Promise<Call> {
    const call = await this.get(callId);
    const agentKeys = this.keys.forAgent(call.agent_id);
    const scheduleKeys = agentKeys.forSchedule(call.schedule_id);
    const [result, status] = (await this.scripts.run(
      'cancel-call',
      [agentKeys.call(callId), scheduleKeys.lines, scheduleKeys.deferred, scheduleKeys.expiries],
      [callId, scheduleKeys.waitingPrefix],
    )) as [string, string?];
    if (result === 'conflict') {
      throw new ConflictError(`The call is ${status}: only a queued call can be cancelled.`);
    }
    this.logger.log({ event: 'call.cancelled', agentId: call.agent_id, callId }, 'call cancelled');
    this.metrics.entered('cancelled');

    return this.get(callId);
  }

  /** Calls of the agent, oldest first; the cursor is a position in that order. */
  async list(agentId: string, status: CallStatus | undefined, limit: number, cursor?: string) {
    const agentKeys = this.keys.forAgent(agentId);
    let position = decodeCursor(cursor);
    const calls: Call[] = [];
    const scanEnd = position + LIST_SCAN_LIMIT;

    while (calls.length < limit && position < scanEnd) {
      const chunk = status ? Math.min(500, scanEnd - position) : limit - calls.length;
      const ids = await this.redis.zrange(agentKeys.calls, position, position + chunk - 1);
      if (ids.length === 0) {
        return { calls, next_cursor: null };
      }
      const records = await this.readRecords(agentId, ids);
      for (const [offset, record] of records.entries()) {
        position += 1;
        if (record && (!status || record.status === status)) {
          calls.push(toCall(ids[offset], agentId, record));
        }
        if (calls.length === limit) {
          break;
        }
      }
    }

    return { calls, next_cursor: encodeCursor(position) };
  }

  /**
   * Ends every call still waiting in a schedule: cancelled when the configuration is removed,
   * blocked when the schedule left it.
   */
  async endWaiting(agentId: string, scheduleId: string, reason: WaitingCallsEnd): Promise<number> {
    const agentKeys = this.keys.forAgent(agentId);
    const scheduleKeys = agentKeys.forSchedule(scheduleId);
    const status = reason === 'configuration_removed' ? 'cancelled' : 'blocked';
    const ended = (await this.scripts.run(
      'end-waiting-calls',
      [scheduleKeys.lines, scheduleKeys.deferred, scheduleKeys.expiries],
      [agentKeys.callPrefix, scheduleKeys.waitingPrefix, status, reason],
    )) as number;
    if (ended > 0) {
      this.metrics.blocked(reason, ended, status);
      this.logger.log(
        { event: `calls.${status}`, agentId, scheduleId, reason, count: ended },
        `waiting calls ${status}`,
      );
    }

    return ended;
  }

  /** Schedules of the agent that hold or held calls. */
  schedulesWithCalls(agentId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.forAgent(agentId).schedulesWithCalls);
  }

  private async configurationOf(agentId: string): Promise<OutboundConfiguration> {
    const versioned = await this.configurations.load(agentId);
    if (!versioned) {
      throw new NoConfigurationError(agentId);
    }

    return versioned.configuration;
  }

  private async place(request: CallRequestDto, configuration: OutboundConfiguration) {
    const calleeZones = request.contact_timezone
      ? [request.contact_timezone]
      : await this.zones.zonesFor(request.to_number);
    const line = lineName({ explicitCaller: request.from_number ?? '', calleeZones });

    return placeCall(randomUUID(), request, configuration, line, Date.now());
  }

  /**
   * Stores the calls in one pipeline of script runs, each run up to CALLS_PER_RUN calls of one
   * schedule, then requests one wake-up per schedule that needs it. Each call's owner is written
   * first, so that no stored call is ever without one: its events and its reads find it from the
   * moment it can be dialed. An owner whose call was not stored (a known external id) points at no
   * call, which reads as no call.
   */
  private async store(agentId: string, calls: PlacedCall[]): Promise<(EnqueueResult | Error)[]> {
    const agentKeys = this.keys.forAgent(agentId);
    await Promise.all(
      calls.map((call) =>
        this.redis.set(
          this.keys.callOwner(call.callId),
          ownerValue({ agentId, scheduleId: call.schedule.id }),
        ),
      ),
    );
    const runs = runsOf(calls);
    const pipeline = this.redis.pipeline();
    for (const run of runs) {
      this.scripts.queue(
        pipeline,
        'enqueue-calls',
        storeKeys(agentKeys, run.scheduleId),
        storeArguments(run, calls, agentKeys),
      );
    }
    const replies = (await pipeline.exec()) ?? [];
    const results: (EnqueueResult | Error)[] = new Array(calls.length);
    const wakes = new Map<string, number>();

    for (const [index, [error, reply]] of replies.entries()) {
      const { scheduleId, positions } = runs[index];
      const [outcome, wakeAt, ...earlierIds] = (reply ?? []) as [string, number, ...string[]];
      if (wakeAt >= 0) {
        wakes.set(scheduleId, Math.min(wakes.get(scheduleId) ?? Infinity, wakeAt));
      }
      for (const [offset, position] of positions.entries()) {
        const earlierId = earlierIds[offset];
        results[position] = earlierId
          ? { call: await this.get(earlierId), created: false }
          : storedResult(agentId, calls[position], outcome, error);
      }
    }
    const now = Date.now();
    await Promise.all(
      [...wakes].map(([scheduleId, at]) => this.wakes.addJob(agentId, scheduleId, at, now)),
    );
    this.logEnqueued(agentId, calls, results);

    return results;
  }

  private logEnqueued(agentId: string, calls: PlacedCall[], results: (EnqueueResult | Error)[]) {
    const created = results.filter((result) => !(result instanceof Error) && result.created);
    this.metrics.entered('queued', created.length);
    if (calls.length === 1 && created.length === 1) {
      const call = calls[0];
      this.logger.log(
        {
          event: 'call.queued',
          agentId,
          scheduleId: call.schedule.id,
          callId: call.callId,
          to: maskPhoneNumber(call.record.to),
        },
        'call queued',
      );
    } else if (calls.length > 1) {
      this.logger.log({ event: 'calls.queued', agentId, count: created.length }, 'calls queued');
    }
  }

  private async readRecords(agentId: string, callIds: string[]): Promise<(CallRecord | null)[]> {
    const agentKeys = this.keys.forAgent(agentId);
    const pipeline = this.redis.pipeline();
    callIds.forEach((callId) => pipeline.hgetall(agentKeys.call(callId)));
    const replies = (await pipeline.exec()) ?? [];

    return replies.map(([, fields]) => recordOf(fields as Record<string, string>));
  }
}

/** What became of a new call of a script run that answered `outcome`, or failed with `error`. */
function storedResult(
  agentId: string,
  call: PlacedCall,
  outcome: string | undefined,
  error: Error | null,
): EnqueueResult | Error {
  if (error) {
    return error;
  }
  if (outcome === 'no-schedule') {
    return InvalidRequestError.single('schedule_id', 'was removed meanwhile');
  }
  if (outcome !== 'stored') {
    return new NoConfigurationError(agentId);
  }

  return { call: toCall(call.callId, agentId, call.record), created: true };
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) {
    return 0;
  }
  const position = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(position) || position < 0) {
    throw InvalidRequestError.single('cursor', 'is not a cursor this service gave out');
  }

  return position;
}

function encodeCursor(position: number): string {
  return Buffer.from(String(position), 'utf8').toString('base64url');
}
