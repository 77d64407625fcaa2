export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CALL_STATUSES = [
  'queued',
  'dialing',
  'in_progress',
  'completed',
  'busy',
  'no_answer',
  'failed',
  'voicemail',
  'cancelled',
  'blocked',
  'expired',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** What the telephony side reports about a call (SPEC 3.4). */
export const CALL_EVENTS = [
  'ringing',
  'answered',
  'completed',
  'busy',
  'no_answer',
  'failed',
  'voicemail',
] as const;
export type CallEventStatus = (typeof CALL_EVENTS)[number];

/** A call as the API shows it. Instants are ISO 8601 UTC strings. */
export interface Call {
  call_id: string;
  agent_id: string;
  schedule_id: string;
  to_number: string;
  from_number: string | null;
  status: CallStatus;
  attempts: number;
  priority: Priority;
  context: Record<string, unknown>;
  external_id: string | null;
  created_at: string;
  next_attempt_at: string | null;
  dialed_at: string | null;
  ended_at: string | null;
  duration_seconds: number | null;
  outcome: string | null;
  blocked_reason: string | null;
  contact_timezone: string | null;
  expires_at: string | null;
  max_attempts: number;
  retry_delay_seconds: number;
  ringing_timeout_seconds: number;
  max_call_duration_seconds: number;
}
