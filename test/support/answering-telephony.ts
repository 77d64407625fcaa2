import { DialRequest } from '../../src/dialer/dialer-driver';
import { FakeTelephony } from './telephony';

export interface AnsweringOptions {
  /** Bearer token for the service's event route. */
  token: string;
  /** How long each call lasts before its `completed` event is sent (ms). */
  callMs: number;
  /** Wait before sending an event again after the service did not take it (ms). */
  resendMs?: number;
}

/**
 * The telephony side as a platform behaves: takes every dial (202), and when the call is over
 * posts `completed` to the dial's `callback_url`, sending it again until the service takes it
 * (2xx), as webhooks are retried. Counts the calls it holds per agent, and the peak.
 */
export class AnsweringTelephony {
  /** Calls per agent between the dial and the first sending of its end event. */
  readonly live = new Map<string, number>();
  readonly peakLive = new Map<string, number>();
  /** Statuses the service answered end events with, by status. */
  readonly eventAnswers = new Map<number | string, number>();
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  private constructor(
    readonly telephony: FakeTelephony,
    private readonly options: AnsweringOptions,
  ) {}

  static async start(options: AnsweringOptions): Promise<AnsweringTelephony> {
    const answering = new AnsweringTelephony(await FakeTelephony.start(), options);
    answering.telephony.responder = (dial) => answering.take(dial);

    return answering;
  }

  get url(): string {
    return this.telephony.url;
  }

  /** Dials received per call id. */
  dialCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const dial of this.telephony.dials) {
      counts.set(dial.body.call_id, (counts.get(dial.body.call_id) ?? 0) + 1);
    }

    return counts;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.pending]);
    await this.telephony.stop();
  }

  private take(dial: DialRequest): number {
    const agentLive = (this.live.get(dial.agent_id) ?? 0) + 1;
    this.live.set(dial.agent_id, agentLive);
    this.peakLive.set(dial.agent_id, Math.max(this.peakLive.get(dial.agent_id) ?? 0, agentLive));
    const ending = this.endLater(dial);
    this.pending.add(ending);
    void ending.finally(() => this.pending.delete(ending));

    return 202;
  }

  private async endLater(dial: DialRequest): Promise<void> {
    await sleep(this.options.callMs);
    // Counted off before the event goes out: the service cannot free the slot any earlier.
    this.live.set(dial.agent_id, (this.live.get(dial.agent_id) ?? 1) - 1);

    while (!this.stopped) {
      const answer = await fetch(dial.callback_url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.options.token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ status: 'completed', duration_seconds: 1 }),
        signal: AbortSignal.timeout(15_000),
      }).then(
        (response) => response.status,
        (error: Error) => error.name,
      );
      this.eventAnswers.set(answer, (this.eventAnswers.get(answer) ?? 0) + 1);
      if (typeof answer === 'number' && answer < 300) {
        return;
      }
      await sleep(this.options.resendMs ?? 250);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
