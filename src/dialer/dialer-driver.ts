/** What the telephony side receives for one dial (SPEC 3.4). */
export interface DialRequest {
  call_id: string;
  agent_id: string;
  to_number: string;
  from_number: string;
  display_name: string | null;
  context: Record<string, unknown>;
  priority: string;
  ringing_timeout_seconds: number;
  max_call_duration_seconds: number;
  callback_url: string;
}

/**
 * How a dial went: `placed` (the telephony side took it), `rejected` (it refused it for good:
 * the attempt fails) or `unreachable` (it never got it: connection error, 5xx or timeout).
 */
export type DialAnswer = 'placed' | 'rejected' | 'unreachable';

export interface DialerDriver {
  dial(request: DialRequest): Promise<DialAnswer>;
}

/** Injection token of the configured {@link DialerDriver}. */
export const DIALER_DRIVER = Symbol('DialerDriver');
