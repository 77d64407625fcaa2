import { dayKey, isOpen, nextOpening, startOfNextDay } from '../calendar/schedule-calendar';
import {
  ConfigurationReadout,
  dayZoneOf,
  defaultScheduleOf,
  OutboundConfiguration,
} from './configuration.types';

/** The agent's "today": the calendar day in the zone whose midnight resets the counters. */
export function todayOf(configuration: OutboundConfiguration, nowMs: number): string {
  return dayKey(nowMs, dayZoneOf(configuration));
}

/**
 * What the agent can do at `nowMs`, given today's dial attempts per caller number (as kept in
 * the day's attempt hash). Pure: the clock and the counters are passed in.
 */
export function readoutOf(
  configuration: OutboundConfiguration,
  attemptsToday: Record<string, number>,
  nowMs: number,
): ConfigurationReadout {
  const remaining = callsRemaining(configuration, attemptsToday);
  const schedule = defaultScheduleOf(configuration);
  const canCallNow =
    schedule !== null && schedule.enabled && remaining > 0 && isOpen(schedule.time_windows, nowMs);

  return {
    total_calls_today: totalCalls(configuration, attemptsToday),
    calls_remaining_today: remaining,
    can_call_now: canCallNow,
    next_available_time: canCallNow ? null : nextAvailableTime(configuration, remaining, nowMs),
  };
}

/**
 * Counts only the numbers configured now: attempts from a number since removed stay in the
 * day's hash, but the readout describes the configuration as it stands, and such a number no
 * longer belongs to the agent.
 */
function totalCalls(
  configuration: OutboundConfiguration,
  attemptsToday: Record<string, number>,
): number {
  return configuration.phone_numbers.reduce(
    (total, number) => total + attemptsOf(attemptsToday, number.phone_number),
    0,
  );
}

function callsRemaining(
  configuration: OutboundConfiguration,
  attemptsToday: Record<string, number>,
): number {
  return configuration.phone_numbers
    .filter((number) => number.enabled)
    .reduce(
      (total, number) =>
        total + Math.max(0, number.daily_limit - attemptsOf(attemptsToday, number.phone_number)),
      0,
    );
}

function attemptsOf(attemptsToday: Record<string, number>, phoneNumber: string): number {
  const attempts = attemptsToday[phoneNumber];

  return Number.isFinite(attempts) ? attempts : 0;
}

/**
 * When the default schedule next can call: its next opening while calls remain today, else its
 * first opening from the daily reset on. Null when it never will without a configuration change:
 * no enabled default schedule, or no enabled number with a daily limit above zero.
 */
function nextAvailableTime(
  configuration: OutboundConfiguration,
  remaining: number,
  nowMs: number,
): string | null {
  const schedule = defaultScheduleOf(configuration);
  const anyNumberCanDial = configuration.phone_numbers.some(
    (number) => number.enabled && number.daily_limit > 0,
  );
  if (schedule === null || !schedule.enabled || !anyNumberCanDial) {
    return null;
  }

  const fromMs = remaining > 0 ? nowMs : startOfNextDay(nowMs, dayZoneOf(configuration));
  const openingMs = nextOpening(schedule.time_windows, fromMs);

  return openingMs === null ? null : new Date(openingMs).toISOString();
}
