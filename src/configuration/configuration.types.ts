import { TimeWindow } from '../calendar/schedule-calendar';

/** A caller-ID number of an agent, as stored (every default filled in). */
export interface CallerNumber {
  phone_number: string;
  display_name: string | null;
  is_default: boolean;
  enabled: boolean;
  daily_limit: number;
  metadata: Record<string, unknown>;
}

export interface Schedule {
  id: string;
  name: string;
  time_windows: TimeWindow[];
  enabled: boolean;
  max_concurrent_calls: number;
  call_interval_seconds: number;
  respect_dnc: boolean;
  respect_timezone: boolean;
}

/** An agent's complete outbound configuration, as stored and answered. */
export interface OutboundConfiguration {
  agent_id: string;
  phone_numbers: CallerNumber[];
  schedules: Schedule[];
  default_schedule_id: string | null;
}

/** What the agent can do now, computed on each read. */
export interface ConfigurationReadout {
  total_calls_today: number;
  calls_remaining_today: number;
  can_call_now: boolean;
  next_available_time: string | null;
}

export type ConfigurationResponse = OutboundConfiguration & ConfigurationReadout;

/** A configuration as loaded from Redis, with the version the pacing scripts compare against. */
export interface VersionedConfiguration {
  version: string;
  configuration: OutboundConfiguration;
}

/**
 * The schedule the agent dials with when a call names none: `default_schedule_id`, else the first
 * enabled schedule; null when every schedule is disabled.
 */
export function defaultScheduleOf(configuration: OutboundConfiguration): Schedule | null {
  if (configuration.default_schedule_id !== null) {
    return (
      configuration.schedules.find(
        (schedule) => schedule.id === configuration.default_schedule_id,
      ) ?? null
    );
  }

  return configuration.schedules.find((schedule) => schedule.enabled) ?? null;
}

/**
 * The zone whose calendar day is the agent's "today": that of the default schedule's first
 * window (the first schedule's, when no schedule is enabled). Daily counters reset at its midnight.
 */
export function dayZoneOf(configuration: OutboundConfiguration): string {
  const schedule = defaultScheduleOf(configuration) ?? configuration.schedules[0];

  return schedule.time_windows[0].timezone;
}
