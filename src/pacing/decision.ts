import { recordOf, CallRecord } from '../calls/call-record';

export type Verdict =
  | 'stale'
  | 'gone'
  | 'schedule-gone'
  | 'disabled'
  | 'batch-full'
  | 'concurrency'
  | 'interval'
  | 'limits'
  | 'idle';

export interface DecidedDial {
  callId: string;
  caller: string;
  record: CallRecord;
}

/** What `decide-dials.lua` answered, with -1 instants turned into null. */
export interface Decision {
  verdict: Verdict;
  /** Redis's clock when it decided (ms). */
  now: number;
  dials: DecidedDial[];
  nextLeaseExpiry: number | null;
  intervalReadyAt: number | null;
  nextDeferred: number | null;
  nextExpiry: number | null;
  expiredLeases: string[];
  recheck: boolean;
}

type RawDecision = [
  Verdict,
  number,
  unknown[]?,
  number?,
  number?,
  number?,
  number?,
  string[]?,
  number?,
];

export function parseDecision(raw: unknown): Decision {
  const [verdict, now, dials = [], lease = -1, interval = -1, deferred = -1, expiry = -1] =
    raw as RawDecision;
  const [, , , , , , , expiredLeases = [], recheck = 0] = raw as RawDecision;
  const decided: DecidedDial[] = [];
  for (let index = 0; index < dials.length; index += 3) {
    decided.push({
      callId: dials[index] as string,
      caller: dials[index + 1] as string,
      record: recordOf(dials[index + 2] as string[]) as CallRecord,
    });
  }

  return {
    verdict,
    now,
    dials: decided,
    nextLeaseExpiry: instant(lease),
    intervalReadyAt: instant(interval),
    nextDeferred: instant(deferred),
    nextExpiry: instant(expiry),
    expiredLeases,
    recheck: recheck === 1,
  };
}

function instant(value: number): number | null {
  return value >= 0 ? value : null;
}
