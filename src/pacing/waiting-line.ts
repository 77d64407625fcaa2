/**
 * A schedule's waiting calls are split into lines by what decides whether they may be dialed:
 * the caller number the call insists on ('' when the service chooses) and the callee's zones.
 * A line is open or closed as a whole, so one whose callees are asleep never holds back another.
 */
export interface WaitingLine {
  explicitCaller: string;
  calleeZones: string[];
}

export function lineName(line: WaitingLine): string {
  return `${line.explicitCaller}|${[...line.calleeZones].sort().join(',')}`;
}

export function parseLineName(name: string): WaitingLine {
  const separator = name.indexOf('|');
  const zones = name.slice(separator + 1);

  return {
    explicitCaller: name.slice(0, separator),
    calleeZones: zones === '' ? [] : zones.split(','),
  };
}
