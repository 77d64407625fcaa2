import { Call, CallStatus, Priority } from './call.types';

/**
 * The fields of a call's Redis hash. Short names keep a queued call small; the Lua scripts use the
 * same names (`status`, `attempts`, `caller`, `line`, `score`, ...). Absent means null.
 */
export interface CallRecord {
  schedule: string;
  to: string;
  /** The caller number the request asked for; absent when the service chooses. */
  from?: string;
  /** The caller number of the latest dial. */
  caller?: string;
  status: CallStatus;
  attempts: string;
  priority: Priority;
  context?: string;
  external?: string;
  created: string;
  next?: string;
  dialed?: string;
  ended?: string;
  duration?: string;
  outcome?: string;
  reason?: string;
  zone?: string;
  expires?: string;
  max_attempts: string;
  retry_delay: string;
  ringing: string;
  max_duration: string;
  /** Name of the waiting line the call waits in, and its score there. */
  line: string;
  score: string;
  /** Dials in a row that never reached the telephony side. */
  failures?: string;
}

const PRIORITY_RANKS: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** Room for any creation instant (ms) below one priority step, so priority always wins. */
const PRIORITY_STEP = 1e13;

/** Score in a waiting line: higher priority first, then older first. */
export function waitingScore(priority: Priority, createdAtMs: number): number {
  return PRIORITY_RANKS[priority] * PRIORITY_STEP + createdAtMs;
}

export function toCall(callId: string, agentId: string, record: CallRecord): Call {
  return {
    call_id: callId,
    agent_id: agentId,
    schedule_id: record.schedule,
    to_number: record.to,
    from_number: record.caller ?? record.from ?? null,
    status: record.status,
    attempts: Number(record.attempts),
    priority: record.priority,
    context: record.context ? (JSON.parse(record.context) as Record<string, unknown>) : {},
    external_id: record.external ?? null,
    created_at: isoOf(record.created) as string,
    next_attempt_at: record.status === 'queued' ? isoOf(record.next) : null,
    dialed_at: isoOf(record.dialed),
    ended_at: isoOf(record.ended),
    duration_seconds: record.duration === undefined ? null : Number(record.duration),
    outcome: record.outcome ?? null,
    blocked_reason: record.reason ?? null,
    contact_timezone: record.zone ?? null,
    expires_at: isoOf(record.expires),
    max_attempts: Number(record.max_attempts),
    retry_delay_seconds: Number(record.retry_delay),
    ringing_timeout_seconds: Number(record.ringing),
    max_call_duration_seconds: Number(record.max_duration),
  };
}

/** A hash as HGETALL (or a Lua flat list) returns it, as a record; null when empty. */
export function recordOf(fields: Record<string, string> | string[]): CallRecord | null {
  const entries = Array.isArray(fields) ? pairs(fields) : fields;

  return 'status' in entries ? (entries as unknown as CallRecord) : null;
}

/** The record as field/value arguments, leaving out absent fields. */
export function recordArguments(record: CallRecord): string[] {
  const fieldsAndValues: string[] = [];
  for (const [field, value] of Object.entries(record)) {
    if (value !== undefined) {
      fieldsAndValues.push(field, String(value));
    }
  }

  return fieldsAndValues;
}

function pairs(flat: string[]): Record<string, string> {
  const entries: Record<string, string> = {};
  for (let index = 0; index < flat.length; index += 2) {
    entries[flat[index]] = flat[index + 1];
  }

  return entries;
}

function isoOf(milliseconds: string | undefined): string | null {
  return milliseconds === undefined ? null : new Date(Number(milliseconds)).toISOString();
}
