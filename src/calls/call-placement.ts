import { InvalidRequestError } from '../common/domain-errors';
import {
  defaultScheduleOf,
  OutboundConfiguration,
  Schedule,
} from '../configuration/configuration.types';
import { CallRecord, waitingScore } from './call-record';
import { CallRequestDto } from './dto/call-request.dto';

/** A validated call request resolved against the agent's configuration, ready to store. */
export interface PlacedCall {
  callId: string;
  schedule: Schedule;
  record: CallRecord;
  notBeforeMs: number;
  expiresAtMs: number;
}

/**
 * Resolves the request's schedule and caller number against the configuration and builds the
 * call's record. Raises InvalidRequestError naming the field that does not fit.
 */
export function placeCall(
  callId: string,
  request: CallRequestDto,
  configuration: OutboundConfiguration,
  line: string,
  nowMs: number,
): PlacedCall {
  const schedule = scheduleFor(request, configuration);
  if (
    request.from_number !== undefined &&
    !configuration.phone_numbers.some((number) => number.phone_number === request.from_number)
  ) {
    throw InvalidRequestError.single('from_number', "is not one of the agent's phone numbers");
  }
  const notBeforeMs = request.not_before ? Date.parse(request.not_before) : 0;
  const expiresAtMs = request.expires_at ? Date.parse(request.expires_at) : 0;
  if (expiresAtMs && expiresAtMs <= nowMs) {
    throw InvalidRequestError.single('expires_at', 'is in the past');
  }
  if (expiresAtMs && notBeforeMs >= expiresAtMs) {
    throw InvalidRequestError.single('expires_at', 'must be later than not_before');
  }

  const record: CallRecord = {
    schedule: schedule.id,
    to: request.to_number,
    from: request.from_number,
    status: 'queued',
    attempts: '0',
    priority: request.priority,
    context: Object.keys(request.context).length ? JSON.stringify(request.context) : undefined,
    external: request.external_id,
    created: String(nowMs),
    next: notBeforeMs > nowMs ? String(notBeforeMs) : undefined,
    zone: request.contact_timezone,
    expires: expiresAtMs ? String(expiresAtMs) : undefined,
    max_attempts: String(request.max_attempts),
    retry_delay: String(request.retry_delay_seconds),
    ringing: String(request.ringing_timeout_seconds),
    max_duration: String(request.max_call_duration_seconds),
    line,
    score: String(waitingScore(request.priority, nowMs)),
  };

  return { callId, schedule, record, notBeforeMs, expiresAtMs };
}

function scheduleFor(request: CallRequestDto, configuration: OutboundConfiguration): Schedule {
  if (request.schedule_id !== undefined) {
    const named = configuration.schedules.find((schedule) => schedule.id === request.schedule_id);
    if (!named) {
      throw InvalidRequestError.single('schedule_id', "is not one of the agent's schedules");
    }

    return named;
  }
  const fallback = defaultScheduleOf(configuration);
  if (!fallback) {
    throw InvalidRequestError.single(
      'schedule_id',
      'is required: the agent has no default schedule (every schedule is disabled)',
    );
  }

  return fallback;
}
