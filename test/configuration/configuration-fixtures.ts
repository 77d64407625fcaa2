import { randomUUID } from 'node:crypto';

/** Request bodies as plain JSON, loose enough to be broken on purpose. */
export interface WindowBody {
  [field: string]: unknown;
}

export interface NumberBody {
  [field: string]: unknown;
}

export interface ScheduleBody {
  time_windows: WindowBody[];
  [field: string]: unknown;
}

export interface ConfigurationBody {
  phone_numbers: NumberBody[];
  schedules: ScheduleBody[];
  [field: string]: unknown;
}

export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

export function configurationPath(agentId: string): string {
  return `/outbound/agents/${agentId}/outbound-config`;
}

export function newAgentId(): string {
  return randomUUID();
}

/** The smallest valid configuration: one number, one schedule with one weekday window. */
export function minimalConfiguration(agentId: string): ConfigurationBody {
  return {
    agent_id: agentId,
    phone_numbers: [{ phone_number: '+12125550100' }],
    schedules: [
      {
        name: 'business-hours',
        time_windows: [
          {
            start_time: '09:00',
            end_time: '17:00',
            days_of_week: [1, 2, 3, 4, 5],
            timezone: 'America/New_York',
          },
        ],
      },
    ],
  };
}

/** A window open at every instant of the week, so that readouts do not depend on the clock. */
export function alwaysOpenWindow(timezone: string): WindowBody {
  return { start_time: '00:00', end_time: '24:00', days_of_week: EVERY_DAY, timezone };
}

/** `count` distinct valid US numbers: +12125550000, +12125550001, ... */
export function phoneNumbers(count: number): NumberBody[] {
  return Array.from({ length: count }, (_, index) => ({
    phone_number: `+1212555${String(index).padStart(4, '0')}`,
  }));
}

export function schedules(count: number): ScheduleBody[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `schedule-${index}`,
    time_windows: [alwaysOpenWindow('UTC')],
  }));
}

/** A rule of SPEC 3.1 broken on purpose, and the problem the 400 must name. */
export interface RejectionCase {
  rule: string;
  breakBody: (body: ConfigurationBody) => void;
  field: string;
  problem: RegExp;
}

export function firstNumber(body: ConfigurationBody): NumberBody {
  return body.phone_numbers[0];
}

export function firstSchedule(body: ConfigurationBody): ScheduleBody {
  return body.schedules[0];
}

export function firstWindow(body: ConfigurationBody): WindowBody {
  return body.schedules[0].time_windows[0];
}

/** Sets any field to any value, whatever type the body declares for it. */
export function replaceField(target: object, field: string, value: unknown): void {
  Object.assign(target, { [field]: value });
}
