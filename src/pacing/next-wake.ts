import { isOpen, nextOpeningInEveryZone, startOfNextDay } from '../calendar/schedule-calendar';
import { Schedule } from '../configuration/configuration.types';
import { Decision } from './decision';
import { WaitingLine } from './waiting-line';

/** The zones a line's windows are read in: the callees' own where the schedule respects them. */
function zonesOf(schedule: Schedule, line: WaitingLine): string[] {
  return schedule.respect_timezone ? line.calleeZones : [];
}

/** Whether the line's calls may be dialed at `atMs`: every zone of the callee is inside. */
export function isLineOpen(schedule: Schedule, line: WaitingLine, atMs: number): boolean {
  const zones = zonesOf(schedule, line);
  if (zones.length === 0) {
    return isOpen(schedule.time_windows, atMs);
  }

  return zones.every((zone) => isOpen(schedule.time_windows, atMs, zone));
}

/**
 * The next instant at which anything the decision was held back by can change, or null when
 * only an outside event (a new call, a call's end, a configuration change) can. Never earlier
 * than 1 ms after the decision, so a wake-up cannot spin.
 */
export function nextWakeAt(
  decision: Decision,
  schedule: Schedule,
  closedLines: WaitingLine[],
  dayZone: string,
): number | null {
  const candidates = [decision.nextLeaseExpiry, decision.nextDeferred, decision.nextExpiry];
  const openings = () =>
    closedLines.map((line) =>
      nextOpeningInEveryZone(schedule.time_windows, decision.now, zonesOf(schedule, line)),
    );

  if (decision.verdict === 'interval') {
    candidates.push(decision.intervalReadyAt);
  } else if (decision.verdict === 'limits') {
    candidates.push(startOfNextDay(decision.now, dayZone), ...openings());
  } else if (decision.verdict === 'idle') {
    candidates.push(...openings());
  }
  const instants = candidates.filter((instant): instant is number => instant !== null);
  if (instants.length === 0) {
    return null;
  }

  return Math.max(Math.min(...instants), decision.now + 1);
}
