import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/app';
import { configurationBody } from '../support/configurations';
import { FakeTelephony } from '../support/telephony';

/** What a test reads of a call through GET /outbound/calls/:id. */
export interface CallView {
  call_id: string;
  status: string;
  attempts: number;
  from_number: string | null;
  dialed_at: string | null;
  ended_at: string | null;
  blocked_reason: string | null;
}

/**
 * The real app on the test Redis with the `http` dialer pointed at a fake telephony side, and
 * the few requests the pacing tests make over and over.
 */
export class PacingHarness {
  /** Events the harness reports on its own, awaited before the app stops. */
  private readonly pendingReports = new Set<Promise<unknown>>();

  private constructor(
    readonly telephony: FakeTelephony,
    readonly testApp: TestApp,
  ) {}

  static async start(variables: Record<string, string> = {}): Promise<PacingHarness> {
    const telephony = await FakeTelephony.start();
    const testApp = await startTestApp({
      DIALER_DRIVER: 'http',
      DIALER_URL: telephony.url,
      ...variables,
    });

    return new PacingHarness(telephony, testApp);
  }

  /** Posts a configuration for a new agent (or `agentId`) and returns the agent id. */
  async configure(
    schedule: Record<string, unknown> = {},
    overrides: Record<string, unknown> = {},
    agentId: string = randomUUID(),
  ): Promise<string> {
    const response = await this.testApp
      .api()
      .post(`/outbound/agents/${agentId}/outbound-config`)
      .send(configurationBody(agentId, schedule, overrides));
    expect(response.status).toBe(200);

    return agentId;
  }

  /** Enqueues one call and returns its id. */
  async enqueue(agentId: string, call: Record<string, unknown>): Promise<string> {
    const response = await this.testApp.api().post(`/outbound/agents/${agentId}/calls`).send(call);
    expect(response.status).toBe(202);

    return response.body.call_id as string;
  }

  async call(callId: string): Promise<CallView> {
    const response = await this.testApp.api().get(`/outbound/calls/${callId}`);
    expect(response.status).toBe(200);

    return response.body as CallView;
  }

  /** Polls the call until it has `status`; fails the test after `timeoutMs`. */
  async callReaching(callId: string, status: string, timeoutMs = 5_000): Promise<CallView> {
    const deadline = Date.now() + timeoutMs;
    let call = await this.call(callId);
    while (call.status !== status && Date.now() < deadline) {
      await sleep(20);
      call = await this.call(callId);
    }
    expect(call.status).toBe(status);

    return call;
  }

  /** Reports an event as the telephony side would; returns the service's result. */
  async report(callId: string, status: string, attempt?: number): Promise<string> {
    const query = attempt === undefined ? '' : `?attempt=${attempt}`;
    const response = await this.testApp
      .api()
      .post(`/outbound/calls/${callId}/events${query}`)
      .send({ status });
    expect(response.status).toBe(200);

    return response.body.result as string;
  }

  /** Answers every dial with 202 and reports `status` for it `afterMs` later. */
  endEachDialAfter(afterMs: number, status = 'completed'): void {
    this.telephony.responder = (dial) => {
      this.reportLater(dial.call_id, status, afterMs);

      return 202;
    };
  }

  /** Reports `status` for the call `afterMs` from now, without waiting for it. */
  reportLater(callId: string, status: string, afterMs: number): void {
    const report = sleep(afterMs)
      .then(() => this.report(callId, status))
      .catch(() => undefined)
      .finally(() => this.pendingReports.delete(report));
    this.pendingReports.add(report);
  }

  dialedIds(): string[] {
    return this.telephony.dials.map((dial) => dial.body.call_id);
  }

  async stop(): Promise<void> {
    await Promise.all(this.pendingReports);
    await this.testApp.close();
    await this.telephony.stop();
  }
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** `HH:MM:SS` of an instant on the UTC clock. */
export function utcClockTime(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(11, 19);
}

/** A UTC window open all day on a weekday two days from now only: closed now and for a day. */
export function closedWindow() {
  const isoWeekday = new Date().getUTCDay() || 7;

  return {
    start_time: '00:00',
    end_time: '24:00',
    days_of_week: [((isoWeekday + 1) % 7) + 1],
    timezone: 'UTC',
  };
}

/** Differences between consecutive values. */
export function gapsOf(values: number[]): number[] {
  return values.slice(1).map((value, index) => value - values[index]);
}
