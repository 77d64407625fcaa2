import { Inject, Injectable, Logger } from '@nestjs/common';
import { maskPhoneNumber } from '../common/phone-number';
import { Schedule } from '../configuration/configuration.types';
import { DIALER_DRIVER, DialAnswer, DialerDriver, DialRequest } from '../dialer/dialer-driver';
import { dialBackoffMs, MAX_UNREACHABLE_DIALS } from '../dialer/http-dialer';
import { DncService } from '../dnc/dnc.service';
import { Environment } from '../environment/environment';
import { ENVIRONMENT } from '../environment/environment.module';
import { Metrics } from '../monitoring/metrics';
import { LuaScripts } from '../redis/lua-scripts';
import { RedisKeys } from '../redis/redis-keys';
import { ConfigurationCache } from './configuration-cache';
import { DecidedDial } from './decision';
import { WakeRequests } from './wake-requests';

/** What became of a decided dial, beyond the dialer's answer: the callee was on the DNC list. */
type DialResult = DialAnswer | 'blocked';

/**
 * Hands decided dials to the dialer. The do-not-call list is read here, at dial time, right
 * before the dial; a listed callee is never dialed and its decision is taken back.
 */
@Injectable()
export class DialPlacer {
  private readonly logger = new Logger(DialPlacer.name);

  constructor(
    @Inject(ENVIRONMENT) private readonly environment: Environment,
    @Inject(DIALER_DRIVER) private readonly driver: DialerDriver,
    private readonly keys: RedisKeys,
    private readonly scripts: LuaScripts,
    private readonly doNotCall: DncService,
    private readonly configurations: ConfigurationCache,
    private readonly wakes: WakeRequests,
    private readonly metrics: Metrics,
  ) {}

  async placeAll(agentId: string, schedule: Schedule, dials: DecidedDial[], day: string) {
    const listed = schedule.respect_dnc
      ? await this.doNotCall.listed(dials.map((dial) => dial.record.to))
      : dials.map(() => false);

    await Promise.all(
      dials.map((dial, index) => this.place(agentId, schedule, dial, day, listed[index])),
    );
  }

  private async place(
    agentId: string,
    schedule: Schedule,
    dial: DecidedDial,
    day: string,
    onDoNotCallList: boolean,
  ): Promise<void> {
    const context = { agentId, scheduleId: schedule.id, callId: dial.callId };
    if (onDoNotCallList) {
      this.logger.log({ event: 'call.blocked', ...context, reason: 'dnc' }, 'callee on DNC list');
      this.metrics.blocked('dnc');
      await this.finish(agentId, schedule.id, dial, day, 'blocked');

      return;
    }
    const started = Date.now();
    const answer = await this.driver.dial(await this.requestFor(agentId, dial));
    const latencyMs = Date.now() - started;
    const firstQueuedAtMs = Number(dial.record.attempts) === 1 ? Number(dial.record.created) : null;
    this.metrics.dialed(schedule.id, answer, latencyMs, firstQueuedAtMs);
    this.logger.log(
      {
        event: 'call.dialed',
        ...context,
        attempt: Number(dial.record.attempts),
        from: maskPhoneNumber(dial.caller),
        to: maskPhoneNumber(dial.record.to),
        answer,
        latencyMs,
      },
      'dial handed to the dialer',
    );
    if (answer !== 'placed') {
      await this.finish(agentId, schedule.id, dial, day, answer);
    }
  }

  private async requestFor(agentId: string, dial: DecidedDial): Promise<DialRequest> {
    const configuration = (await this.configurations.get(agentId))?.configuration;
    const caller = configuration?.phone_numbers.find(
      (number) => number.phone_number === dial.caller,
    );
    const query = `?attempt=${dial.record.attempts}`;

    return {
      call_id: dial.callId,
      agent_id: agentId,
      to_number: dial.record.to,
      from_number: dial.caller,
      display_name: caller?.display_name ?? null,
      context: dial.record.context ? JSON.parse(dial.record.context) : {},
      priority: dial.record.priority,
      ringing_timeout_seconds: Number(dial.record.ringing),
      max_call_duration_seconds: Number(dial.record.max_duration),
      callback_url: `${this.environment.publicUrl}/outbound/calls/${dial.callId}/events${query}`,
    };
  }

  /** Records a dial that did not place a call; the freed slot wakes the schedule. */
  private async finish(
    agentId: string,
    scheduleId: string,
    dial: DecidedDial,
    day: string,
    result: Exclude<DialResult, 'placed'>,
  ): Promise<void> {
    const agentKeys = this.keys.forAgent(agentId);
    const scheduleKeys = agentKeys.forSchedule(scheduleId);
    const failures = Number(dial.record.failures ?? 0) + 1;
    const [outcome, wakeAt] = (await this.scripts.run(
      'finish-dial',
      [
        agentKeys.call(dial.callId),
        scheduleKeys.leases,
        agentKeys.dailyAttempts(day),
        scheduleKeys.deferred,
        scheduleKeys.expiries,
        scheduleKeys.lastDial,
        scheduleKeys.wake,
        agentKeys.configuration,
        scheduleKeys.lines,
      ],
      [dial.callId, dial.record.attempts, result, dialBackoffMs(failures), MAX_UNREACHABLE_DIALS],
    )) as [string, number];

    if (outcome === 'retry') {
      this.logger.log(
        { event: 'call.retry', agentId, scheduleId, callId: dial.callId, result, failures },
        'dial will be tried again',
      );
    }
    if (wakeAt >= 0) {
      await this.wakes.addJob(agentId, scheduleId, wakeAt, wakeAt);
    }
  }
}
