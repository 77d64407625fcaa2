import fc from 'fast-check';
import { DateTime } from 'luxon';

import {
  SEARCH_HORIZON_MS,
  dayKey,
  isOpen,
  isWindowOpen,
  nextClosing,
  nextOpening,
  nextOpeningInEveryZone,
  parseClockTime,
  startOfNextDay,
  type TimeWindow,
} from './schedule-calendar';

const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

function window(
  start_time: string,
  end_time: string,
  days_of_week: number[],
  timezone = 'UTC',
): TimeWindow {
  return { start_time, end_time, days_of_week, timezone };
}

/** Every instant in these tests is written out with its offset; none comes from a real clock. */
function at(isoInstant: string): number {
  return Date.parse(isoInstant);
}

describe('parseClockTime', () => {
  it('reads HH:MM and HH:MM:SS as seconds since midnight', () => {
    expect(parseClockTime('00:00')).toBe(0);
    expect(parseClockTime('09:30')).toBe(34_200);
    expect(parseClockTime('09:30:15')).toBe(34_215);
    expect(parseClockTime('23:59:59')).toBe(86_399);
  });

  it('reads 24:00 as the end of the day', () => {
    expect(parseClockTime('24:00')).toBe(86_400);
    expect(parseClockTime('24:00:00')).toBe(86_400);
  });

  it.each(['9:30', '24:01', '25:00', '12:60', '12:00:60', '12:00 ', 'noon', ''])(
    'rejects %p',
    (text) => {
      expect(() => parseClockTime(text)).toThrow(/Invalid clock time/);
    },
  );
});

describe('isOpen', () => {
  const sundayNight = window('22:00', '06:00', [7], 'America/New_York');

  it('keeps a Sunday overnight window open into Monday morning, across the end of the week', () => {
    expect(isWindowOpen(sundayNight, at('2025-06-08T22:00:00-04:00'))).toBe(true);
    expect(isWindowOpen(sundayNight, at('2025-06-09T05:59:00-04:00'))).toBe(true);
    expect(isWindowOpen(sundayNight, at('2025-06-09T05:59:59.999-04:00'))).toBe(true);
  });

  it('shuts a Sunday overnight window at 06:00 Monday and keeps it shut on other nights', () => {
    expect(isWindowOpen(sundayNight, at('2025-06-09T06:00:00-04:00'))).toBe(false);
    expect(isWindowOpen(sundayNight, at('2025-06-07T23:00:00-04:00'))).toBe(false);
    expect(isWindowOpen(sundayNight, at('2025-06-08T21:59:59.999-04:00'))).toBe(false);
    expect(isWindowOpen(sundayNight, at('2025-06-09T22:00:00-04:00'))).toBe(false);
  });

  it('keeps a window that ends at 24:00 open to the last millisecond of the day', () => {
    const fridayEvening = window('18:00', '24:00', [5]);

    expect(isWindowOpen(fridayEvening, at('2025-06-06T23:59:59.999Z'))).toBe(true);
    expect(isWindowOpen(fridayEvening, at('2025-06-07T00:00:00Z'))).toBe(false);
    expect(nextClosing([fridayEvening], at('2025-06-06T18:00:00Z'))).toBe(
      at('2025-06-07T00:00:00Z'),
    );
  });

  it('honours seconds in HH:MM:SS times', () => {
    const halfMinute = window('08:30:15', '08:30:45', EVERY_DAY);

    expect(isWindowOpen(halfMinute, at('2025-06-02T08:30:14.999Z'))).toBe(false);
    expect(isWindowOpen(halfMinute, at('2025-06-02T08:30:15Z'))).toBe(true);
    expect(isWindowOpen(halfMinute, at('2025-06-02T08:30:44.999Z'))).toBe(true);
    expect(isWindowOpen(halfMinute, at('2025-06-02T08:30:45Z'))).toBe(false);
    expect(nextOpening([halfMinute], at('2025-06-02T08:00:00Z'))).toBe(at('2025-06-02T08:30:15Z'));
  });

  it('reads the clock times in the zone it is given instead of the window zone', () => {
    const officeHoursUtc = window('09:00', '17:00', EVERY_DAY, 'UTC');
    const tokyoMorning = at('2025-06-02T09:30:00+09:00');

    expect(isOpen([officeHoursUtc], tokyoMorning)).toBe(false);
    expect(isOpen([officeHoursUtc], tokyoMorning, 'Asia/Tokyo')).toBe(true);
    expect(nextOpening([officeHoursUtc], at('2025-06-02T00:00:00Z'), 'America/Los_Angeles')).toBe(
      at('2025-06-02T09:00:00-07:00'),
    );
  });

  it('refuses a zone it does not know', () => {
    expect(() => isOpen([window('09:00', '17:00', WEEKDAYS, 'Mars/Olympus_Mons')], 0)).toThrow(
      RangeError,
    );
  });
});

describe('nextOpening', () => {
  it('answers the instant itself when a window is already open', () => {
    const officeHours = window('09:00', '17:00', WEEKDAYS);

    expect(nextOpening([officeHours], at('2025-06-02T10:00:00Z'))).toBe(at('2025-06-02T10:00:00Z'));
  });

  it('lands on the second window of a day when asked between two', () => {
    const morningAndAfternoon = [window('09:00', '12:00', [3]), window('14:00', '18:00', [3])];

    expect(nextOpening(morningAndAfternoon, at('2025-06-04T12:00:00Z'))).toBe(
      at('2025-06-04T14:00:00Z'),
    );
    expect(nextOpening(morningAndAfternoon, at('2025-06-04T12:30:00Z'))).toBe(
      at('2025-06-04T14:00:00Z'),
    );
    expect(nextClosing(morningAndAfternoon, at('2025-06-04T10:00:00Z'))).toBe(
      at('2025-06-04T12:00:00Z'),
    );
  });

  it('skips days without windows: a Wednesday-only schedule asked on Thursday opens next Wednesday', () => {
    const wednesdays = [window('09:00', '17:00', [3], 'Europe/Berlin')];

    expect(nextOpening(wednesdays, at('2025-06-05T10:00:00+02:00'))).toBe(
      at('2025-06-11T09:00:00+02:00'),
    );
  });

  it('opens a Sunday overnight window on Sunday evening when asked on Saturday', () => {
    const sundayNight = [window('22:00', '06:00', [7], 'America/New_York')];

    expect(nextOpening(sundayNight, at('2025-06-07T23:00:00-04:00'))).toBe(
      at('2025-06-08T22:00:00-04:00'),
    );
    expect(nextClosing(sundayNight, at('2025-06-08T23:00:00-04:00'))).toBe(
      at('2025-06-09T06:00:00-04:00'),
    );
  });

  it('gives null for a schedule that never opens', () => {
    expect(nextOpening([window('09:00', '17:00', [])], at('2025-06-02T00:00:00Z'))).toBeNull();
    expect(nextOpening([], at('2025-06-02T00:00:00Z'))).toBeNull();
  });

  it('opens in Asia/Kathmandu at 09:00 +05:45 to the millisecond', () => {
    const mondays = [window('09:00', '17:00', [1], 'Asia/Kathmandu')];

    expect(nextOpening(mondays, at('2025-06-01T00:00:00Z'))).toBe(at('2025-06-02T03:15:00Z'));
    expect(isOpen(mondays, at('2025-06-02T03:14:59.999Z'))).toBe(false);
    expect(nextClosing(mondays, at('2025-06-02T03:15:00Z'))).toBe(at('2025-06-02T11:15:00Z'));
  });

  it('merges windows that touch into one open stretch', () => {
    const backToBack = [window('09:00', '12:00', [2]), window('12:00', '15:00', [2])];

    expect(nextClosing(backToBack, at('2025-06-03T10:00:00Z'))).toBe(at('2025-06-03T15:00:00Z'));
  });
});

describe('daylight saving in America/New_York', () => {
  // 2025-03-09: 02:00 EST becomes 03:00 EDT at 07:00Z. 2025-11-02: 02:00 EDT becomes 01:00 EST
  // at 06:00Z.
  it('opens a window that starts inside the spring-forward gap when the clock jumps', () => {
    const gapWindow = [window('02:30', '03:30', [7], 'America/New_York')];

    expect(nextOpening(gapWindow, at('2025-03-09T05:00:00Z'))).toBe(at('2025-03-09T07:00:00Z'));
    expect(isOpen(gapWindow, at('2025-03-09T06:59:59.999Z'))).toBe(false);
    expect(isOpen(gapWindow, at('2025-03-09T07:00:00Z'))).toBe(true);
    expect(nextClosing(gapWindow, at('2025-03-09T07:00:00Z'))).toBe(at('2025-03-09T07:30:00Z'));
  });

  it('never opens a window wholly inside the spring-forward gap that day', () => {
    const lostHour = [window('02:00', '02:59', [7], 'America/New_York')];

    expect(nextOpening(lostHour, at('2025-03-09T05:00:00Z'))).toBe(at('2025-03-16T02:00:00-04:00'));
  });

  it('keeps a window inside the autumn overlap open for two real hours', () => {
    const repeatedHour = [window('01:00', '02:00', [7], 'America/New_York')];

    expect(nextOpening(repeatedHour, at('2025-11-02T04:00:00Z'))).toBe(at('2025-11-02T05:00:00Z'));
    expect(isOpen(repeatedHour, at('2025-11-02T04:59:59.999Z'))).toBe(false);
    expect(isOpen(repeatedHour, at('2025-11-02T06:30:00Z'))).toBe(true);
    expect(nextClosing(repeatedHour, at('2025-11-02T05:00:00Z'))).toBe(at('2025-11-02T07:00:00Z'));
    expect(isOpen(repeatedHour, at('2025-11-02T07:00:00Z'))).toBe(false);
  });

  it('reopens a window that the fall-back hour repeats', () => {
    const lateHalfHour = [window('01:30', '02:00', [7], 'America/New_York')];
    const earlyHour = [window('00:30', '01:30', [7], 'America/New_York')];

    expect(isOpen(lateHalfHour, at('2025-11-02T05:59:59.999Z'))).toBe(true);
    expect(isOpen(lateHalfHour, at('2025-11-02T06:00:00Z'))).toBe(false);
    expect(nextOpening(lateHalfHour, at('2025-11-02T06:00:00Z'))).toBe(at('2025-11-02T06:30:00Z'));
    expect(nextOpening(earlyHour, at('2025-11-02T05:30:00Z'))).toBe(at('2025-11-02T06:00:00Z'));
    expect(nextClosing(earlyHour, at('2025-11-02T06:00:00Z'))).toBe(at('2025-11-02T06:30:00Z'));
  });
});

describe('daylight saving in Europe/London', () => {
  // 2025-03-30: 01:00 GMT becomes 02:00 BST at 01:00Z. 2025-10-26: 02:00 BST becomes 01:00 GMT
  // at 01:00Z.
  it('opens a window that starts inside the spring-forward gap at the jump', () => {
    const gapWindow = [window('01:30', '02:30', [7], 'Europe/London')];

    expect(nextOpening(gapWindow, at('2025-03-30T00:00:00Z'))).toBe(at('2025-03-30T01:00:00Z'));
    expect(isOpen(gapWindow, at('2025-03-30T00:59:59.999Z'))).toBe(false);
    expect(nextClosing(gapWindow, at('2025-03-30T01:00:00Z'))).toBe(at('2025-03-30T01:30:00Z'));
  });

  it('skips a window wholly inside the gap to the next Sunday', () => {
    const lostQuarter = [window('01:15', '01:45', [7], 'Europe/London')];

    expect(nextOpening(lostQuarter, at('2025-03-30T00:00:00Z'))).toBe(at('2025-04-06T00:15:00Z'));
  });

  it('keeps a window inside the autumn overlap open for two real hours', () => {
    const repeatedHour = [window('01:00', '02:00', [7], 'Europe/London')];

    expect(nextOpening(repeatedHour, at('2025-10-25T23:00:00Z'))).toBe(at('2025-10-26T00:00:00Z'));
    expect(isOpen(repeatedHour, at('2025-10-25T23:59:59.999Z'))).toBe(false);
    expect(nextClosing(repeatedHour, at('2025-10-26T00:00:00Z'))).toBe(at('2025-10-26T02:00:00Z'));
  });
});

describe('daylight saving in Australia/Sydney', () => {
  // 2025-04-06: 03:00 AEDT becomes 02:00 AEST at 2025-04-05T16:00Z. 2025-10-05: 02:00 AEST
  // becomes 03:00 AEDT at 2025-10-04T16:00Z.
  it('keeps the repeated hour of the first Sunday of April open twice over', () => {
    const repeatedHour = [window('02:00', '03:00', [7], 'Australia/Sydney')];

    expect(nextOpening(repeatedHour, at('2025-04-05T14:00:00Z'))).toBe(at('2025-04-05T15:00:00Z'));
    expect(nextClosing(repeatedHour, at('2025-04-05T15:00:00Z'))).toBe(at('2025-04-05T17:00:00Z'));
  });

  it('loses the skipped hour of the first Sunday of October', () => {
    const lostHour = [window('02:00', '03:00', [7], 'Australia/Sydney')];
    const straddling = [window('02:30', '04:00', [7], 'Australia/Sydney')];

    expect(nextOpening(lostHour, at('2025-10-04T14:00:00Z'))).toBe(at('2025-10-11T15:00:00Z'));
    expect(nextOpening(straddling, at('2025-10-04T14:00:00Z'))).toBe(at('2025-10-04T16:00:00Z'));
    expect(nextClosing(straddling, at('2025-10-04T16:00:00Z'))).toBe(at('2025-10-04T17:00:00Z'));
  });
});

describe('nextOpeningInEveryZone', () => {
  const officeHours = [window('09:00', '17:00', WEEKDAYS, 'UTC')];
  const centralAndMountain = ['America/Chicago', 'America/Denver'];

  it('waits until the office day has begun in both Chicago and Denver', () => {
    expect(
      nextOpeningInEveryZone(officeHours, at('2025-06-02T13:00:00Z'), centralAndMountain),
    ).toBe(at('2025-06-02T09:00:00-06:00'));
  });

  it('moves past a Friday evening that is still open in Denver but shut in Chicago', () => {
    const fridayAfterChicagoCloses = at('2025-06-06T17:30:00-05:00');

    expect(isOpen(officeHours, fridayAfterChicagoCloses, 'America/Denver')).toBe(true);
    expect(nextOpeningInEveryZone(officeHours, fridayAfterChicagoCloses, centralAndMountain)).toBe(
      at('2025-06-09T09:00:00-06:00'),
    );
  });

  it('gives null when the zones are never inside at the same time', () => {
    const halfHour = [window('09:00', '09:30', WEEKDAYS, 'UTC')];

    expect(nextOpeningInEveryZone(halfHour, at('2025-06-02T00:00:00Z'), centralAndMountain)).toBe(
      null,
    );
  });

  it('falls back to the windows own zones when no zone is known', () => {
    expect(nextOpeningInEveryZone(officeHours, at('2025-06-02T00:00:00Z'), [])).toBe(
      at('2025-06-02T09:00:00Z'),
    );
  });
});

describe('dayKey and startOfNextDay', () => {
  it('ends the 23-hour spring-forward day in New York at the next midnight EDT', () => {
    expect(startOfNextDay(at('2025-03-08T12:00:00-05:00'), 'America/New_York')).toBe(
      at('2025-03-09T05:00:00Z'),
    );
    expect(startOfNextDay(at('2025-03-09T12:00:00-04:00'), 'America/New_York')).toBe(
      at('2025-03-10T04:00:00Z'),
    );
    expect(dayKey(at('2025-03-10T03:59:59.999Z'), 'America/New_York')).toBe('2025-03-09');
    expect(dayKey(at('2025-03-10T04:00:00Z'), 'America/New_York')).toBe('2025-03-10');
  });

  it('ends the 25-hour fall-back day in New York at the next midnight EST', () => {
    expect(startOfNextDay(at('2025-11-02T12:00:00-05:00'), 'America/New_York')).toBe(
      at('2025-11-03T05:00:00Z'),
    );
    expect(dayKey(at('2025-11-03T04:59:59.999Z'), 'America/New_York')).toBe('2025-11-02');
  });

  it('begins the next day at 01:00 where daylight saving skips midnight (America/Santiago)', () => {
    expect(startOfNextDay(at('2025-09-06T12:00:00-04:00'), 'America/Santiago')).toBe(
      at('2025-09-07T01:00:00-03:00'),
    );
    expect(dayKey(at('2025-09-07T01:00:00-03:00'), 'America/Santiago')).toBe('2025-09-07');
  });

  it('turns the day in Asia/Kathmandu at 18:15 UTC', () => {
    expect(dayKey(at('2025-06-01T18:14:59.999Z'), 'Asia/Kathmandu')).toBe('2025-06-01');
    expect(dayKey(at('2025-06-01T18:15:00Z'), 'Asia/Kathmandu')).toBe('2025-06-02');
    expect(startOfNextDay(at('2025-06-01T12:00:00Z'), 'Asia/Kathmandu')).toBe(
      at('2025-06-01T18:15:00Z'),
    );
  });

  it('counts an instant at midnight as the start of its own day', () => {
    expect(startOfNextDay(at('2025-06-02T00:00:00Z'), 'UTC')).toBe(at('2025-06-03T00:00:00Z'));
  });
});

describe('properties over random windows, zones and instants', () => {
  const zones = [
    'UTC',
    'America/New_York',
    'America/Santiago',
    'America/St_Johns',
    'Europe/London',
    'Europe/Berlin',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Asia/Kathmandu',
  ];
  // Daylight saving changes of 2025 in those zones: the arithmetic is hardest around them.
  const changes = [
    ['America/New_York', '2025-03-09T07:00:00Z'],
    ['America/New_York', '2025-11-02T06:00:00Z'],
    ['America/Santiago', '2025-04-06T03:00:00Z'],
    ['America/Santiago', '2025-09-07T04:00:00Z'],
    ['America/St_Johns', '2025-03-09T05:30:00Z'],
    ['Europe/London', '2025-03-30T01:00:00Z'],
    ['Europe/Berlin', '2025-10-26T01:00:00Z'],
    ['Australia/Sydney', '2025-04-05T16:00:00Z'],
    ['Australia/Sydney', '2025-10-04T16:00:00Z'],
    ['Australia/Lord_Howe', '2025-04-05T15:00:00Z'],
    ['Australia/Lord_Howe', '2025-10-04T15:30:00Z'],
    ['Pacific/Chatham', '2025-09-27T14:00:00Z'],
  ].map(([zoneName, isoInstant]) => ({ zoneName, atMs: at(isoInstant) }));
  const hourMs = 3_600_000;

  const zone = fc.constantFrom(...zones);
  // Clock times on the quarter hour, anywhere, or between 00:00 and 04:00 where the changes fall.
  const secondOfDay = fc.oneof(
    fc.integer({ min: 0, max: 96 }).map((quarter) => quarter * 900),
    fc.integer({ min: 0, max: 86_400 }),
    fc.integer({ min: 0, max: 16 }).map((quarter) => quarter * 900),
  );
  const timeWindow = fc
    .record({
      start: secondOfDay.filter((second) => second < 86_400),
      end: secondOfDay,
      days: fc.subarray(EVERY_DAY, { minLength: 1 }),
      timezone: zone,
    })
    .filter(({ start, end }) => start !== end)
    .map(({ start, end, days, timezone }) =>
      window(clockTime(start), clockTime(end), days, timezone),
    );
  const windows = fc.array(timeWindow, { minLength: 1, maxLength: 3 });
  /** An instant and the zone, if any, that replaces the windows' own; often near a change. */
  const scenario = fc.oneof(
    fc.record({
      atMs: fc.integer({ min: at('2024-01-01T00:00:00Z'), max: at('2030-12-31T00:00:00Z') }),
      zone: fc.option(zone, { nil: undefined }),
    }),
    fc
      .tuple(fc.constantFrom(...changes), fc.integer({ min: -72 * hourMs, max: 24 * hourMs }))
      .map(([change, shiftMs]) => ({ atMs: change.atMs + shiftMs, zone: change.zoneName })),
    fc
      .tuple(fc.constantFrom(...changes), fc.integer({ min: -2 * hourMs, max: 2 * hourMs }))
      .map(([change, shiftMs]) => ({ atMs: change.atMs + shiftMs, zone: change.zoneName })),
  );
  const fractions = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
    minLength: 20,
    maxLength: 20,
  });

  it('isOpen agrees with the wall clock luxon reads in the zone', () => {
    fc.assert(
      fc.property(windows, scenario, (someWindows, { atMs, zone }) => {
        const expected = someWindows.some((each) => openByWallClock(each, atMs, zone));

        expect(isOpen(someWindows, atMs, zone)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('nextOpening is open, and shut everywhere between the asking instant and it', () => {
    fc.assert(
      fc.property(windows, scenario, fractions, (someWindows, { atMs, zone }, spread) => {
        const openingMs = nextOpening(someWindows, atMs, zone);

        if (openingMs !== null) {
          expect(openingMs).toBeGreaterThanOrEqual(atMs);
          expect(isOpen(someWindows, openingMs, zone)).toBe(true);
        }
        for (const sampleMs of samplesBefore(openingMs, atMs, spread)) {
          expect(isOpen(someWindows, sampleMs, zone)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('nextClosing is shut, and open everywhere between the asking instant and it', () => {
    fc.assert(
      fc.property(windows, scenario, fractions, (someWindows, { atMs, zone }, spread) => {
        const closingMs = nextClosing(someWindows, atMs, zone);
        if (closingMs === null) {
          return;
        }

        expect(isOpen(someWindows, closingMs, zone)).toBe(false);
        for (const sampleMs of samplesBefore(closingMs, atMs, spread)) {
          expect(isOpen(someWindows, sampleMs, zone)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('nextOpeningInEveryZone is the first instant open in all the zones at once', () => {
    const otherZone = fc.constantFrom(...zones);

    fc.assert(
      fc.property(windows, scenario, otherZone, fractions, (someWindows, start, other, spread) => {
        const callee = [...new Set([start.zone ?? 'UTC', other])];
        const openInAll = (atMs: number) => callee.every((each) => isOpen(someWindows, atMs, each));
        const openingMs = nextOpeningInEveryZone(someWindows, start.atMs, callee);

        if (openingMs !== null) {
          expect(openInAll(openingMs)).toBe(true);
        }
        for (const sampleMs of samplesBefore(openingMs, start.atMs, spread)) {
          expect(openInAll(sampleMs)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Instants of [fromMs, untilMs), untilMs being the horizon when null: both ends and one per
 * fraction in between. None when the stretch is empty.
 */
function samplesBefore(untilMs: number | null, fromMs: number, fractions: number[]): number[] {
  const endMs = untilMs ?? fromMs + SEARCH_HORIZON_MS;
  if (endMs === fromMs) {
    return [];
  }

  const between = fractions.map((fraction) => fromMs + Math.floor(fraction * (endMs - fromMs)));

  return [fromMs, ...between, endMs - 1];
}

function clockTime(secondOfDay: number): string {
  if (secondOfDay === 86_400) {
    return '24:00';
  }
  const hours = Math.floor(secondOfDay / 3600);
  const minutes = Math.floor((secondOfDay % 3600) / 60);
  const seconds = secondOfDay % 60;

  return [hours, minutes, seconds].map((part) => String(part).padStart(2, '0')).join(':');
}

/** The definition, read straight off luxon's wall clock rather than offsets. */
function openByWallClock(timeWindow: TimeWindow, atMs: number, zone?: string): boolean {
  const local = DateTime.fromMillis(atMs, { zone: zone ?? timeWindow.timezone });
  const secondOfDay =
    local.hour * 3600 + local.minute * 60 + local.second + local.millisecond / 1000;
  const previousWeekday = local.weekday === 1 ? 7 : local.weekday - 1;
  const start = parseClockTime(timeWindow.start_time);
  const end = parseClockTime(timeWindow.end_time);
  const listed = (weekday: number) => timeWindow.days_of_week.includes(weekday);

  if (start < end) {
    return listed(local.weekday) && secondOfDay >= start && secondOfDay < end;
  }

  return (
    (listed(local.weekday) && secondOfDay >= start) ||
    (listed(previousWeekday) && secondOfDay < end)
  );
}
