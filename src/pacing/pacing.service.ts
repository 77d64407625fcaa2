import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { dayKey } from '../calendar/schedule-calendar';
import { CallsService } from '../calls/calls.service';
import { dayZoneOf, OutboundConfiguration, Schedule } from '../configuration/configuration.types';
import { LuaScripts } from '../redis/lua-scripts';
import { REDIS } from '../redis/redis.module';
import { RedisClient } from '../redis/redis-connection';
import { RedisKeys } from '../redis/redis-keys';
import { ConfigurationCache } from './configuration-cache';
import { Decision, parseDecision } from './decision';
import { forgetDecision, readBackDecision } from './decision-journal';
import { DialPlacer } from './dial-placer';
import { isLineOpen, nextWakeAt } from './next-wake';
import { WakeRequests } from './wake-requests';
import { parseLineName } from './waiting-line';

/** Dials decided per script run: enough for throughput, small enough to keep Redis responsive. */
const DIALS_PER_DECISION = 50;

/** Decisions per wake-up before the schedule yields its worker slot to others (and wakes again). */
const DECISIONS_PER_WAKE = 40;

/** A lease outlives the call's longest allowed duration by this margin. */
export const LEASE_MARGIN_MS = 60_000;

/** A day's attempt counts are kept a little over two days, for the readout around midnight. */
const ATTEMPTS_TTL_SECONDS = 3 * 24 * 3600;

/**
 * Wake-ups due within this span are also run by a timer of the process that asked for them.
 * BullMQ hands a delayed job over only when Redis checks its blocking timeouts, ten times a
 * second by default, so the job alone would start every interval up to 100 ms late. The job
 * stays as the durable fallback: should this process die, it still wakes the schedule, and a
 * second decision at the same instant is harmless.
 */
const LOCAL_WAKE_HORIZON_MS = 60_000;

interface LocalWake {
  atMs: number;
  timer: NodeJS.Timeout;
}

/** One run of the decision script, with what it was given. */
interface DecisionRound {
  decision: Decision;
  /**
   * This process's clock when Redis decided (`decision.now` is Redis's): the middle of the
   * script's round trip. Timers count from it, so that the trip does not make them late.
   */
  decidedAtLocalMs: number;
  /** The local day the attempts were counted on. */
  day: string;
  /** Waiting lines that were closed at the decision. */
  closedLines: string[];
}

/**
 * Runs the dial decisions of one schedule when it is woken: evaluates which waiting lines are
 * open now, lets `decide-dials.lua` choose and count the dials atomically, hands them to the
 * dialer, and asks to be woken when anything that held it back can next change.
 */
@Injectable()
export class PacingService {
  private readonly logger = new Logger(PacingService.name);
  /** The earliest timed wake-up of each schedule, by `agentId|scheduleId`. */
  private readonly localWakes = new Map<string, LocalWake>();
  /** Timed wake-ups running now, awaited at shutdown. */
  private readonly runningLocalWakes = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly scripts: LuaScripts,
    private readonly configurations: ConfigurationCache,
    private readonly wakes: WakeRequests,
    private readonly placer: DialPlacer,
    private readonly calls: CallsService,
  ) {}

  async wake(agentId: string, scheduleId: string): Promise<void> {
    const dials: Promise<void>[] = [];
    let clearWake = true;

    for (let turn = 0; turn < DECISIONS_PER_WAKE; turn++) {
      const versioned = await this.configurations.get(agentId);
      const schedule = versioned?.configuration.schedules.find(({ id }) => id === scheduleId);
      if (!versioned || !schedule) {
        const reason = versioned ? 'schedule_removed' : 'configuration_removed';
        await this.calls.endWaiting(agentId, scheduleId, reason);
        break;
      }
      const { configuration, version } = versioned;
      const round = await this.decide(agentId, configuration, version, schedule, clearWake);
      const { decision } = round;
      clearWake = false;
      if (decision.verdict === 'stale' || decision.verdict.endsWith('gone')) {
        this.configurations.forget(agentId);
        continue;
      }
      this.logExpiredLeases(agentId, scheduleId, decision);
      if (decision.dials.length > 0) {
        dials.push(this.placer.placeAll(agentId, schedule, decision.dials, round.day));
      }
      if (decision.verdict !== 'batch-full' && !decision.recheck) {
        await this.requestNextWake(agentId, configuration, schedule, round);
        break;
      }
      if (turn === DECISIONS_PER_WAKE - 1) {
        await this.wakes.request(agentId, scheduleId, decision.now, decision.now);
      }
    }
    await Promise.all(dials);
  }

  private async decide(
    agentId: string,
    configuration: OutboundConfiguration,
    version: string,
    schedule: Schedule,
    clearWake: boolean,
  ): Promise<DecisionRound> {
    const agentKeys = this.keys.forAgent(agentId);
    const scheduleKeys = agentKeys.forSchedule(schedule.id);
    const now = Date.now();
    const lines = await this.redis.smembers(scheduleKeys.lines);
    const open = lines.filter((line) => isLineOpen(schedule, parseLineName(line), now));
    const closedLines = lines.filter((line) => !open.includes(line));
    const day = dayKey(now, dayZoneOf(configuration));
    const journal = scheduleKeys.decision(randomUUID());

    const sentAtMs = Date.now();
    const decided = this.scripts.run(
      'decide-dials',
      [
        agentKeys.configuration,
        scheduleKeys.leases,
        scheduleKeys.lastDial,
        scheduleKeys.lines,
        scheduleKeys.deferred,
        scheduleKeys.expiries,
        scheduleKeys.wake,
        agentKeys.dailyAttempts(day),
        journal,
      ],
      [
        schedule.id,
        version,
        agentKeys.callPrefix,
        scheduleKeys.waitingPrefix,
        DIALS_PER_DECISION,
        clearWake ? 1 : 0,
        LEASE_MARGIN_MS,
        ATTEMPTS_TTL_SECONDS,
        open.length,
        ...open,
        ...closedLines,
      ],
    );
    const raw = await decided.catch((error: unknown) =>
      readBackDecision(this.redis, journal, error),
    );
    const decision = parseDecision(raw);
    if (decision.dials.length > 0) {
      forgetDecision(this.redis, journal);
    }

    const decidedAtLocalMs = (sentAtMs + Date.now()) / 2;

    return { decision, decidedAtLocalMs, day, closedLines };
  }

  private async requestNextWake(
    agentId: string,
    configuration: OutboundConfiguration,
    schedule: Schedule,
    { decision, decidedAtLocalMs, closedLines }: DecisionRound,
  ): Promise<void> {
    const wakeAt = nextWakeAt(
      decision,
      schedule,
      closedLines.map(parseLineName),
      dayZoneOf(configuration),
    );
    if (wakeAt !== null) {
      // The timer first, its delay counted from the decision rather than from now.
      const delayMs = wakeAt - decision.now - (Date.now() - decidedAtLocalMs);
      this.wakeLocallyAt(agentId, schedule.id, wakeAt, delayMs);
      await this.wakes.request(agentId, schedule.id, wakeAt, decision.now);
    }
  }

  /** Arms this process's timer for a near wake-up, unless one at or before it is armed. */
  private wakeLocallyAt(agentId: string, scheduleId: string, atMs: number, delayMs: number): void {
    const key = `${agentId}|${scheduleId}`;
    const armed = this.localWakes.get(key);
    if (this.stopped || delayMs > LOCAL_WAKE_HORIZON_MS || (armed && armed.atMs <= atMs)) {
      return;
    }
    if (armed) {
      clearTimeout(armed.timer);
    }
    const timer = setTimeout(() => {
      this.localWakes.delete(key);
      const running = this.wake(agentId, scheduleId).catch((error: unknown) =>
        this.logger.error(
          { event: 'wake.failed', agentId, scheduleId, err: error },
          'wake-up failed',
        ),
      );
      this.runningLocalWakes.add(running);
      void running.finally(() => this.runningLocalWakes.delete(running));
    }, delayMs);
    this.localWakes.set(key, { atMs, timer });
  }

  /** Disarms the timed wake-ups (their BullMQ jobs remain) and lets running ones finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.localWakes.values()) {
      clearTimeout(timer);
    }
    this.localWakes.clear();
    await Promise.all(this.runningLocalWakes);
  }

  private logExpiredLeases(agentId: string, scheduleId: string, decision: Decision): void {
    for (const callId of decision.expiredLeases) {
      this.logger.warn(
        { event: 'lease.expired', agentId, scheduleId, callId },
        'no end event before the lease ran out: slot released, call failed',
      );
    }
  }
}
