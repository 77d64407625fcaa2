/**
 * Every Redis key the service uses, built in this one place.
 *
 * All keys of one agent carry the agent id as a hash tag (`{agentId}`), so that one Lua script
 * may touch any of them and the service runs unchanged on Redis Cluster. Lua scripts never spell
 * a key: they receive full keys, or the prefixes below to which they append an id.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** BullMQ's prefix: one hash tag, so every key of a queue lands in one cluster slot. */
  get queuePrefix(): string {
    return `{${this.prefix}}`;
  }

  forAgent(agentId: string): AgentKeys {
    return new AgentKeys(`${this.prefix}:{${agentId}}`);
  }

  /** call id -> its agent and schedule (see `calls/call-owner.ts`), to find a call by its id. */
  callOwner(callId: string): string {
    return `${this.prefix}:call-owner:${callId}`;
  }

  /** Set of E.164 numbers never to be dialed where a schedule respects the list. */
  get doNotCall(): string {
    return `${this.prefix}:dnc`;
  }
}

export class AgentKeys {
  constructor(readonly base: string) {}

  /** Hash: `json` (the stored configuration), `version`, `numbers`, `schedule:<id>` rules. */
  get configuration(): string {
    return `${this.base}:configuration`;
  }

  /** Hash of caller number -> dial attempts on that local day (`YYYY-MM-DD`). */
  dailyAttempts(dayKey: string): string {
    return `${this.base}:attempts:${dayKey}`;
  }

  /** Prefix of the daily attempt hashes, for scripts that receive the day key. */
  get dailyAttemptsPrefix(): string {
    return `${this.base}:attempts:`;
  }

  /** Hash of one call's fields. */
  call(callId: string): string {
    return `${this.base}:call:${callId}`;
  }

  get callPrefix(): string {
    return `${this.base}:call:`;
  }

  /** Sorted set of every call of the agent, scored by creation time (ms), for listing. */
  get calls(): string {
    return `${this.base}:calls`;
  }

  /** Hash of external_id -> call id: makes enqueue idempotent. */
  get externalIds(): string {
    return `${this.base}:external-ids`;
  }

  /** Set of schedule ids that have ever held calls. */
  get schedulesWithCalls(): string {
    return `${this.base}:schedules`;
  }

  forSchedule(scheduleId: string): ScheduleKeys {
    return new ScheduleKeys(`${this.base}:schedule:${scheduleId}`);
  }
}

export class ScheduleKeys {
  constructor(readonly base: string) {}

  /** Sorted set of call id -> lease expiry (ms): the calls holding a concurrency slot. */
  get leases(): string {
    return `${this.base}:leases`;
  }

  /** Instant (ms, Redis clock) of the schedule's latest dial. */
  get lastDial(): string {
    return `${this.base}:last-dial`;
  }

  /** Instant (ms) of the earliest wake-up already requested; absent when none is pending. */
  get wake(): string {
    return `${this.base}:wake`;
  }

  /** Set of the waiting-line names that hold calls (see {@link waiting}). */
  get lines(): string {
    return `${this.base}:lines`;
  }

  /**
   * Sorted set of calls ready to dial that share a callee zone set and caller number, scored by
   * priority then age. Calls of one line are blocked or allowed together, so a closed line never
   * holds back an open one.
   */
  waiting(line: string): string {
    return `${this.base}:line:${line}`;
  }

  get waitingPrefix(): string {
    return `${this.base}:line:`;
  }

  /**
   * Sorted set of call id -> instant (ms) before which it may not be dialed (`not_before`, a
   * retry's delay).
   */
  get deferred(): string {
    return `${this.base}:deferred`;
  }

  /** Sorted set of queued call id -> expires_at (ms). */
  get expiries(): string {
    return `${this.base}:expiries`;
  }

  /** The reply of one dial decision, kept until its caller has it (see decide-dials.lua). */
  decision(decisionId: string): string {
    return `${this.base}:decision:${decisionId}`;
  }
}
