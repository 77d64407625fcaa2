import { Logger } from '@nestjs/common';
import { maskPhoneNumber } from '../common/phone-number';
import { DialAnswer, DialerDriver, DialRequest } from './dialer-driver';

/** SPEC 3.4: a dial the telephony side has not answered within this long never happened. */
export const DIAL_TIMEOUT_MS = 10_000;

/**
 * How many times an attempt is dialed again after its dial found the telephony side unreachable
 * (SPEC 3.4: "ten times at most"). Counting the first dial, an attempt makes at most
 * MAX_UNREACHABLE_DIALS + 1 unreachable dials; the last of them ends it `failed`.
 */
export const MAX_UNREACHABLE_DIALS = 10;

const FIRST_RETRY_DELAY_MS = 1000;
const LONGEST_RETRY_DELAY_MS = 60_000;

/**
 * The wait before dialing again after `failures` unreachable dials in a row: 1 s, 2 s, 4 s ...
 * at most 60 s, so that a telephony side that is down or over its rate gets room to recover.
 */
export function dialBackoffMs(failures: number): number {
  if (failures <= 1) {
    return FIRST_RETRY_DELAY_MS;
  }

  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** (failures - 1), LONGEST_RETRY_DELAY_MS);
}

/** Where dials go: `DIALER_URL` and, when set, `DIALER_TOKEN`. */
export interface HttpDialerTarget {
  url: string;
  token: string | null;
}

/** The telephony side's HTTP status, or why no answer came. */
type Delivery = { status: number } | { failure: string };

/**
 * Posts each dial to the telephony side (SPEC 3.4) and reads only the status of its answer.
 *
 * Limitation: a dial that timed out may have reached the telephony side after all; it is dialed
 * again with the same `call_id`, which the telephony side can use to drop the repeat.
 */
export class HttpDialer implements DialerDriver {
  private readonly logger = new Logger(HttpDialer.name);

  constructor(
    private readonly target: HttpDialerTarget,
    private readonly timeoutMs = DIAL_TIMEOUT_MS,
  ) {}

  /** Never throws: every failure is an answer. */
  async dial(request: DialRequest): Promise<DialAnswer> {
    const delivery = await this.deliver(request);
    const answer = 'status' in delivery ? answerFor(delivery.status) : 'unreachable';

    if (answer !== 'placed') {
      const outcome =
        'status' in delivery ? `status=${delivery.status}` : `reason="${delivery.failure}"`;
      this.logger.warn(
        `dial ${answer} call_id=${request.call_id} agent_id=${request.agent_id} ` +
          `to_number=${maskPhoneNumber(request.to_number)} ${outcome}`,
      );
    }

    return answer;
  }

  private async deliver(request: DialRequest): Promise<Delivery> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await fetch(this.target.url, {
        method: 'POST',
        headers: this.headers(),
        body: JSON.stringify(request),
        // Following a redirect would turn the POST into a GET; a redirect means a wrong DIALER_URL.
        redirect: 'manual',
        signal: controller.signal,
      });
      // The status decides; waiting for a body that may never come would only delay the answer.
      response.body?.cancel().catch(() => undefined);

      return { status: response.status };
    } catch (error) {
      const failure = controller.signal.aborted
        ? `no answer within ${this.timeoutMs} ms`
        : describeFailure(error);

      return { failure };
    } finally {
      clearTimeout(timer);
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.target.token !== null) {
      headers.Authorization = `Bearer ${this.target.token}`;
    }

    return headers;
  }
}

function answerFor(status: number): DialAnswer {
  if (status >= 200 && status < 300) {
    return 'placed';
  }
  // Carriers answer 429 when dials come faster than their rate allows: the dial did not happen,
  // and trying again later, as for an unreachable side, is what gets it through.
  if (status === 429) {
    return 'unreachable';
  }
  if (status >= 400 && status < 500) {
    return 'rejected';
  }

  // 5xx: the telephony side failed; 3xx: DIALER_URL points at the wrong place. Neither placed it.
  return 'unreachable';
}

/** fetch reports a network failure as `TypeError: fetch failed` with the system error as cause. */
function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') {
    return cause.code;
  }
  if (typeof cause?.message === 'string') {
    return cause.message;
  }

  return error instanceof Error ? error.message : String(error);
}
