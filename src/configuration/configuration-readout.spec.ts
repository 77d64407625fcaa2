import { readoutOf, todayOf } from './configuration-readout';
import { CallerNumber, OutboundConfiguration, Schedule } from './configuration.types';

const NEW_YORK = 'America/New_York';
const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

// 2025-03-10 is a Monday; New York keeps daylight time (UTC-4) from 2025-03-09 on.
const MONDAY_10_00_NEW_YORK = Date.parse('2025-03-10T14:00:00Z');
const MONDAY_18_00_NEW_YORK = Date.parse('2025-03-10T22:00:00Z');
const FRIDAY_18_00_NEW_YORK = Date.parse('2025-03-14T22:00:00Z');

function callerNumber(phoneNumber: string, overrides: Partial<CallerNumber> = {}): CallerNumber {
  return {
    phone_number: phoneNumber,
    display_name: null,
    is_default: false,
    enabled: true,
    daily_limit: 100,
    metadata: {},
    ...overrides,
  };
}

function schedule(id: string, overrides: Partial<Schedule> = {}): Schedule {
  return {
    id,
    name: id,
    time_windows: [
      { start_time: '09:00', end_time: '17:00', days_of_week: WEEKDAYS, timezone: NEW_YORK },
    ],
    enabled: true,
    max_concurrent_calls: 1,
    call_interval_seconds: 0,
    respect_dnc: true,
    respect_timezone: true,
    ...overrides,
  };
}

function configuration(overrides: Partial<OutboundConfiguration> = {}): OutboundConfiguration {
  return {
    agent_id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
    phone_numbers: [callerNumber('+12125550100')],
    schedules: [schedule('business-hours')],
    default_schedule_id: null,
    ...overrides,
  };
}

describe('the configuration readout', () => {
  describe('counting calls', () => {
    it('sums the calls remaining over enabled numbers only, never below zero per number', () => {
      const agent = configuration({
        phone_numbers: [
          callerNumber('+12125550100', { daily_limit: 10 }),
          callerNumber('+12125550101', { daily_limit: 100, enabled: false }),
          callerNumber('+12125550102', { daily_limit: 5 }),
        ],
      });
      const attempts = { '+12125550100': 3, '+12125550101': 1, '+12125550102': 7 };

      const readout = readoutOf(agent, attempts, MONDAY_10_00_NEW_YORK);

      expect(readout.calls_remaining_today).toBe(7);
      expect(readout.total_calls_today).toBe(11);
    });

    it("counts today's calls from the configured numbers only", () => {
      const attempts = { '+12125550100': 4, '+12125550199': 50 };

      const readout = readoutOf(configuration(), attempts, MONDAY_10_00_NEW_YORK);

      expect(readout.total_calls_today).toBe(4);
    });

    it('takes a number missing from the counters as not yet used today', () => {
      const readout = readoutOf(configuration(), {}, MONDAY_10_00_NEW_YORK);

      expect(readout.total_calls_today).toBe(0);
      expect(readout.calls_remaining_today).toBe(100);
    });
  });

  describe('whether the agent can call now', () => {
    it('can call inside an open window of the default schedule while calls remain', () => {
      const readout = readoutOf(configuration(), {}, MONDAY_10_00_NEW_YORK);

      expect(readout.can_call_now).toBe(true);
      expect(readout.next_available_time).toBeNull();
    });

    it('reads each window in its own time zone', () => {
      // 18:00 UTC is 23:45 in Kathmandu (UTC+5:45), inside a 23:00-24:00 window there.
      const lateInKathmandu = schedule('late', {
        time_windows: [
          {
            start_time: '23:00',
            end_time: '24:00',
            days_of_week: [1],
            timezone: 'Asia/Kathmandu',
          },
        ],
      });
      const readout = readoutOf(
        configuration({ schedules: [lateInKathmandu] }),
        {},
        Date.parse('2025-03-10T18:00:00Z'),
      );

      expect(readout.can_call_now).toBe(true);
    });

    it('cannot call while the default schedule is disabled, and names no next time', () => {
      const agent = configuration({
        schedules: [schedule('open', { enabled: true }), schedule('paused', { enabled: false })],
        default_schedule_id: 'paused',
      });

      const readout = readoutOf(agent, {}, MONDAY_10_00_NEW_YORK);

      expect(readout.can_call_now).toBe(false);
      expect(readout.next_available_time).toBeNull();
    });

    it('takes the first enabled schedule as the default where none is named', () => {
      const closedAllWeek = schedule('never', {
        enabled: false,
        time_windows: [
          { start_time: '03:00', end_time: '04:00', days_of_week: [7], timezone: NEW_YORK },
        ],
      });
      const agent = configuration({ schedules: [closedAllWeek, schedule('business-hours')] });

      const readout = readoutOf(agent, {}, MONDAY_10_00_NEW_YORK);

      expect(readout.can_call_now).toBe(true);
    });

    it('cannot call, and never will, when no schedule is enabled', () => {
      const agent = configuration({ schedules: [schedule('paused', { enabled: false })] });

      const readout = readoutOf(agent, {}, MONDAY_10_00_NEW_YORK);

      expect(readout.can_call_now).toBe(false);
      expect(readout.next_available_time).toBeNull();
    });
  });

  describe('the next available time', () => {
    it('is the next opening of a closed default schedule, to the millisecond', () => {
      const readout = readoutOf(configuration(), {}, MONDAY_18_00_NEW_YORK);

      expect(readout.can_call_now).toBe(false);
      expect(readout.next_available_time).toBe('2025-03-11T13:00:00.000Z');
    });

    it('skips the days on which the default schedule has no window', () => {
      const readout = readoutOf(configuration(), {}, FRIDAY_18_00_NEW_YORK);

      expect(readout.next_available_time).toBe('2025-03-17T13:00:00.000Z');
    });

    it('moves past the daily reset at local midnight when the limits are spent', () => {
      const allDay = schedule('all-day', {
        time_windows: [
          { start_time: '00:00', end_time: '24:00', days_of_week: EVERY_DAY, timezone: NEW_YORK },
        ],
      });
      const agent = configuration({ schedules: [allDay] });

      const readout = readoutOf(agent, { '+12125550100': 100 }, MONDAY_10_00_NEW_YORK);

      expect(readout.calls_remaining_today).toBe(0);
      expect(readout.can_call_now).toBe(false);
      expect(readout.next_available_time).toBe('2025-03-11T04:00:00.000Z');
    });

    it('is the first opening after the daily reset when the limits are spent in a window', () => {
      const readout = readoutOf(configuration(), { '+12125550100': 100 }, MONDAY_10_00_NEW_YORK);

      expect(readout.next_available_time).toBe('2025-03-11T13:00:00.000Z');
    });

    it('is the reset itself when a window is open across midnight and the limits are spent', () => {
      const overnight = schedule('overnight', {
        time_windows: [
          { start_time: '22:00', end_time: '02:00', days_of_week: [1], timezone: NEW_YORK },
        ],
      });
      const mondayAt23NewYork = Date.parse('2025-03-11T03:00:00Z');

      const readout = readoutOf(
        configuration({ schedules: [overnight] }),
        { '+12125550100': 100 },
        mondayAt23NewYork,
      );

      expect(readout.next_available_time).toBe('2025-03-11T04:00:00.000Z');
    });

    it('is null when every number has a daily limit of zero', () => {
      const agent = configuration({
        phone_numbers: [
          callerNumber('+12125550100', { daily_limit: 0 }),
          callerNumber('+12125550101', { daily_limit: 0 }),
        ],
      });

      const readout = readoutOf(agent, {}, MONDAY_18_00_NEW_YORK);

      expect(readout.calls_remaining_today).toBe(0);
      expect(readout.can_call_now).toBe(false);
      expect(readout.next_available_time).toBeNull();
    });

    it('is null when every number is disabled', () => {
      const agent = configuration({
        phone_numbers: [callerNumber('+12125550100', { enabled: false })],
      });

      const readout = readoutOf(agent, {}, MONDAY_10_00_NEW_YORK);

      expect(readout.can_call_now).toBe(false);
      expect(readout.next_available_time).toBeNull();
    });
  });

  describe("the agent's today", () => {
    it("is the calendar day in the zone of the default schedule's first window", () => {
      const mondayAt22NewYork = Date.parse('2025-03-11T02:00:00Z');

      expect(todayOf(configuration(), mondayAt22NewYork)).toBe('2025-03-10');
    });
  });
});
