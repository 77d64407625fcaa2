import { IANAZone } from 'luxon';

/**
 * A calling window as the API stores it (hence snake_case): open over [start_time, end_time) of
 * local wall-clock time in `timezone`, on each ISO day of `days_of_week` (1 = Monday ... 7 =
 * Sunday). Where end_time < start_time the window runs overnight and `days_of_week` names the
 * day it starts.
 */
export interface TimeWindow {
  start_time: string;
  end_time: string;
  days_of_week: number[];
  timezone: string;
}

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** How far ahead the searches look; a weekly window recurs well within it. */
export const SEARCH_HORIZON_MS = 15 * DAY_MS;

const CLOCK_TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * [startMs, endMs) of local wall time, as milliseconds since 1970-01-01T00:00 of the zone's own
 * calendar. Wall time repeats and skips across daylight saving changes, so it is only ever
 * compared within one stretch of constant UTC offset.
 */
interface WallInterval {
  startMs: number;
  endMs: number;
}

/**
 * A window as offsets from local midnight of the day it starts; `closeMs` passes DAY_MS for a
 * window that runs overnight.
 */
interface DailyWindow {
  openMs: number;
  closeMs: number;
  days: readonly number[];
}

/** Windows whose clock times are read in the same zone. */
interface ZoneWindows {
  zoneName: string;
  dailyWindows: DailyWindow[];
}

/** A stretch of time over which a zone's UTC offset does not change. */
interface OffsetSpan {
  startMs: number;
  endMs: number;
  offsetMs: number;
}

/** A zone's UTC offset over one UTC day: the offset at 00:00 UTC and each change after it. */
interface ZoneDay {
  offsetAtStartMs: number;
  changes: { atMs: number; offsetMs: number }[];
}

/** Some 130 zones followed for a year; past it the cache starts again, refilled in a few calls. */
const ZONE_DAY_CACHE_LIMIT = 50_000;

const zoneDays = new Map<string, ZoneDay>();

/** Seconds since midnight of an 'HH:MM' or 'HH:MM:SS' clock time; '24:00' is 86400. */
export function parseClockTime(text: string): number {
  const match = CLOCK_TIME_PATTERN.exec(text);
  if (!match) {
    throw new Error(`Invalid clock time "${text}": expected HH:MM or HH:MM:SS`);
  }

  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  const seconds = Number(match[3] ?? '0');
  const isEndOfDay = hours === 24 && minutes === 0 && seconds === 0;
  if (!isEndOfDay && (hours > 23 || minutes > 59 || seconds > 59)) {
    throw new Error(`Invalid clock time "${text}": out of range`);
  }

  return hours * 3600 + minutes * 60 + seconds;
}

/** Whether `window` is open at `atMs`, its clock times read in `zone` when given. */
export function isWindowOpen(window: TimeWindow, atMs: number, zone?: string): boolean {
  return isOpen([window], atMs, zone);
}

/** Whether any of `windows` is open at `atMs`, their clock times read in `zone` when given. */
export function isOpen(windows: TimeWindow[], atMs: number, zone?: string): boolean {
  for (const group of windowsByZone(windows, zone)) {
    const wallMs = atMs + offsetAt(group.zoneName, atMs);
    const instant = { startMs: wallMs, endMs: wallMs + 1 };

    if (occurrencesBetween(group.dailyWindows, instant).length > 0) {
      return true;
    }
  }

  return false;
}

/**
 * The earliest instant at or after `afterMs` at which `windows` are open (`afterMs` itself when
 * already open), or null when none opens within SEARCH_HORIZON_MS.
 */
export function nextOpening(windows: TimeWindow[], afterMs: number, zone?: string): number | null {
  let earliestMs: number | null = null;

  for (const group of windowsByZone(windows, zone)) {
    // Searching only up to the best opening so far: anything found is earlier.
    const untilMs: number = earliestMs ?? afterMs + SEARCH_HORIZON_MS;
    earliestMs = firstOpeningInZone(group, afterMs, untilMs) ?? earliestMs;
  }

  return earliestMs;
}

/**
 * The earliest instant at or after `afterMs` at which `windows` are open read in every one of
 * `zones` at once: a callee who may be in any of them is only called when all are inside.
 * Without zones, the windows' own zones decide.
 */
export function nextOpeningInEveryZone(
  windows: TimeWindow[],
  afterMs: number,
  zones: string[],
): number | null {
  if (zones.length === 0) {
    return nextOpening(windows, afterMs);
  }

  const untilMs = afterMs + SEARCH_HORIZON_MS;
  let candidateMs = afterMs;

  // No zone opens before its own next opening, so the latest of those never passes the answer;
  // each round moves to a later opening of some zone, of which the horizon holds finitely many.
  for (;;) {
    let latestMs = candidateMs;
    for (const zone of zones) {
      const openingMs = nextOpening(windows, candidateMs, zone);
      if (openingMs === null || openingMs >= untilMs) {
        return null;
      }
      latestMs = Math.max(latestMs, openingMs);
    }

    if (latestMs === candidateMs) {
      return candidateMs;
    }
    candidateMs = latestMs;
  }
}

/**
 * The first instant after `atMs` at which `windows` are no longer open; null when they are not
 * open at `atMs` or stay open through SEARCH_HORIZON_MS.
 */
export function nextClosing(windows: TimeWindow[], atMs: number, zone?: string): number | null {
  if (!isOpen(windows, atMs, zone)) {
    return null;
  }

  const untilMs = atMs + SEARCH_HORIZON_MS;
  let closingMs = atMs;

  // Each zone's windows that are open now stay open until that zone's closing, so the union
  // is open at least until the latest of them; another zone may have opened meanwhile.
  for (;;) {
    let latestMs = closingMs;
    for (const group of windowsByZone(windows, zone)) {
      const zoneClosingMs = firstClosingInZone(group, closingMs, untilMs);
      if (zoneClosingMs === null) {
        return null;
      }
      latestMs = Math.max(latestMs, zoneClosingMs);
    }

    // Standing still would mean isOpen and the closing search disagree: stop rather than spin.
    if (latestMs === closingMs || !isOpen(windows, latestMs, zone)) {
      return latestMs;
    }
    closingMs = latestMs;
  }
}

/** The local calendar day of `atMs` in `zone`, as 'YYYY-MM-DD'. */
export function dayKey(atMs: number, zone: string): string {
  const localDay = Math.floor((atMs + offsetAt(zone, atMs)) / DAY_MS);

  return new Date(localDay * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The first instant after `atMs` whose local date in `zone` is a later day: local midnight, or
 * the moment the clock jumps past it where a daylight saving change skips midnight.
 */
export function startOfNextDay(atMs: number, zone: string): number {
  const nextDayWallMs = (Math.floor((atMs + offsetAt(zone, atMs)) / DAY_MS) + 1) * DAY_MS;

  for (const span of offsetSpans(zone, atMs, atMs + 3 * DAY_MS)) {
    const startMs = Math.max(span.startMs, nextDayWallMs - span.offsetMs);
    if (startMs < span.endMs) {
      return startMs;
    }
  }

  throw new Error(`No next day found in zone "${zone}" after ${atMs}`);
}

/**
 * Within a span of constant offset, wall time runs at the pace of real time, so a window opens
 * either where its wall-clock start occurs or, when the clock jumps into it, at the span start.
 */
function firstOpeningInZone(group: ZoneWindows, fromMs: number, untilMs: number): number | null {
  for (const span of offsetSpans(group.zoneName, fromMs, untilMs)) {
    const wallSpan = { startMs: span.startMs + span.offsetMs, endMs: span.endMs + span.offsetMs };
    const occurrences = occurrencesBetween(group.dailyWindows, wallSpan);

    if (occurrences.length > 0) {
      const openingWallMs = Math.min(...occurrences.map(({ startMs }) => startMs));

      return Math.max(openingWallMs, wallSpan.startMs) - span.offsetMs;
    }
  }

  return null;
}

function firstClosingInZone(group: ZoneWindows, fromMs: number, untilMs: number): number | null {
  let openUntilMs = fromMs;

  for (const span of offsetSpans(group.zoneName, fromMs, untilMs)) {
    openUntilMs = endOfOpenRun(group.dailyWindows, span, openUntilMs);
    if (openUntilMs < span.endMs) {
      return openUntilMs;
    }
  }

  return null;
}

/** The end of the open stretch that contains `fromMs`, capped at the span end; `fromMs` if shut. */
function endOfOpenRun(dailyWindows: DailyWindow[], span: OffsetSpan, fromMs: number): number {
  let wallMs = fromMs + span.offsetMs;
  const rest = { startMs: wallMs, endMs: span.endMs + span.offsetMs };
  const occurrences = occurrencesBetween(dailyWindows, rest).sort(
    (left, right) => left.startMs - right.startMs,
  );

  for (const occurrence of occurrences) {
    if (occurrence.startMs > wallMs) {
      break;
    }
    wallMs = Math.max(wallMs, occurrence.endMs);
  }

  return Math.min(wallMs - span.offsetMs, span.endMs);
}

/** Every window occurrence that overlaps `stretch` of local wall time. */
function occurrencesBetween(dailyWindows: DailyWindow[], stretch: WallInterval): WallInterval[] {
  const occurrences: WallInterval[] = [];
  // The day before counts too: an overnight window that started then may still be running.
  const firstDay = Math.floor(stretch.startMs / DAY_MS) - 1;
  const lastDay = Math.floor((stretch.endMs - 1) / DAY_MS);

  for (let localDay = firstDay; localDay <= lastDay; localDay++) {
    const weekday = isoWeekday(localDay);
    const midnightMs = localDay * DAY_MS;

    for (const window of dailyWindows) {
      const startMs = midnightMs + window.openMs;
      const endMs = midnightMs + window.closeMs;
      if (window.days.includes(weekday) && endMs > stretch.startMs && startMs < stretch.endMs) {
        occurrences.push({ startMs, endMs });
      }
    }
  }

  return occurrences;
}

function isoWeekday(localDay: number): number {
  // Day 0, 1970-01-01, was a Thursday: ISO weekday 4.
  return ((((localDay + 3) % 7) + 7) % 7) + 1;
}

function windowsByZone(windows: TimeWindow[], zone?: string): ZoneWindows[] {
  const byZone = new Map<string, DailyWindow[]>();

  for (const window of windows) {
    const zoneName = zone ?? window.timezone;
    const dailyWindows = byZone.get(zoneName) ?? [];
    dailyWindows.push(toDailyWindow(window));
    byZone.set(zoneName, dailyWindows);
  }

  return [...byZone].map(([zoneName, dailyWindows]) => ({ zoneName, dailyWindows }));
}

function toDailyWindow(window: TimeWindow): DailyWindow {
  const openMs = parseClockTime(window.start_time) * SECOND_MS;
  const endMs = parseClockTime(window.end_time) * SECOND_MS;
  const closeMs = endMs < openMs ? endMs + DAY_MS : endMs;

  return { openMs, closeMs, days: window.days_of_week };
}

/** The spans of constant offset that cover [fromMs, untilMs), in order. */
function offsetSpans(zoneName: string, fromMs: number, untilMs: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [];
  const firstDay = Math.floor(fromMs / DAY_MS);
  let spanStartMs = fromMs;
  let offsetMs = zoneDay(zoneName, firstDay).offsetAtStartMs;

  for (let utcDay = firstDay; utcDay * DAY_MS < untilMs; utcDay++) {
    for (const change of zoneDay(zoneName, utcDay).changes) {
      if (change.atMs > fromMs && change.atMs < untilMs) {
        spans.push({ startMs: spanStartMs, endMs: change.atMs, offsetMs });
        spanStartMs = change.atMs;
      }
      if (change.atMs < untilMs) {
        offsetMs = change.offsetMs;
      }
    }
  }
  spans.push({ startMs: spanStartMs, endMs: untilMs, offsetMs });

  return spans;
}

/** The zone's UTC offset at `atMs`, in milliseconds (local wall time minus UTC). */
function offsetAt(zoneName: string, atMs: number): number {
  return offsetSpans(zoneName, atMs, atMs + 1)[0].offsetMs;
}

function zoneDay(zoneName: string, utcDay: number): ZoneDay {
  const key = `${zoneName}|${utcDay}`;
  const cached = zoneDays.get(key);
  if (cached) {
    return cached;
  }

  const zone = IANAZone.create(zoneName);
  if (!zone.isValid) {
    throw new RangeError(`Unknown time zone "${zoneName}"`);
  }

  const dayStartMs = utcDay * DAY_MS;
  const offsetAtStartMs = zoneOffset(zone, dayStartMs);
  const changes: ZoneDay['changes'] = [];
  let probeMs = dayStartMs;
  let probeOffsetMs = offsetAtStartMs;

  // Hourly probes: no zone in the tz database changes its offset and changes it back within
  // an hour, so every change shows up as a difference between two neighbouring probes.
  for (let hour = 1; hour <= 24; hour++) {
    const nextProbeMs = dayStartMs + hour * HOUR_MS;
    const nextProbeOffsetMs = zoneOffset(zone, nextProbeMs);
    if (nextProbeOffsetMs !== probeOffsetMs) {
      const atMs = firstChangeAfter(zone, probeMs, nextProbeMs, probeOffsetMs);
      if (atMs < dayStartMs + DAY_MS) {
        changes.push({ atMs, offsetMs: zoneOffset(zone, atMs) });
      }
    }
    probeMs = nextProbeMs;
    probeOffsetMs = nextProbeOffsetMs;
  }

  const day = { offsetAtStartMs, changes };
  if (zoneDays.size >= ZONE_DAY_CACHE_LIMIT) {
    zoneDays.clear();
  }
  zoneDays.set(key, day);

  return day;
}

/** The first millisecond in (lowMs, highMs] whose offset differs from `lowOffsetMs`. */
function firstChangeAfter(zone: IANAZone, lowMs: number, highMs: number, lowOffsetMs: number) {
  let unchangedMs = lowMs;
  let changedMs = highMs;

  while (changedMs - unchangedMs > 1) {
    const middleMs = Math.floor((unchangedMs + changedMs) / 2);
    if (zoneOffset(zone, middleMs) === lowOffsetMs) {
      unchangedMs = middleMs;
    } else {
      changedMs = middleMs;
    }
  }

  return changedMs;
}

function zoneOffset(zone: IANAZone, atMs: number): number {
  // luxon gives minutes, fractional for historical local mean time; rounding keeps whole ms.
  return Math.round(zone.offset(atMs) * MINUTE_MS);
}
