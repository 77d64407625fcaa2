import { randomUUID } from 'node:crypto';
import { dayKey } from '../../src/calendar/schedule-calendar';
import { WakeRequests } from '../../src/pacing/wake-requests';
import { startTestApp, TestApp } from '../support/app';
import { CALLER_A, callee, configurationBody } from '../support/configurations';
import { eventually } from '../support/poll';
import { ScriptedDial, ScriptedTelephony } from '../support/scripted-telephony';

/** SPEC 3.4: the waits before each new dial of an attempt the telephony side never got. */
const BACKOFF_MS = [1, 2, 4, 8, 16, 32, 60, 60, 60, 60].map((seconds) => seconds * 1000);
/** How late a dial may come after its backoff: the wake-up, the decision and the request. */
const LATENESS_MS = 1000;
const DIAL_TIMEOUT_MS = 10_000;
/** A daily limit the attempts of these tests would exceed, were counts not given back. */
const DAILY_LIMIT = 2;

/** What one sample of a call's state found, read in one transaction. */
interface Sample {
  status: string | null;
  failures: number;
  holdsSlot: boolean;
  attemptsToday: number;
  at: number;
}

describe('the telephony side down or slow (http driver)', () => {
  let telephony: ScriptedTelephony;
  let testApp: TestApp;

  beforeAll(async () => {
    telephony = await ScriptedTelephony.start();
    telephony.treat = (dial) => treatmentOf(dial.context.telephony, telephony, dial.call_id);
    testApp = await startTestApp({ DIALER_DRIVER: 'http', DIALER_URL: telephony.url });
  });

  afterAll(async () => {
    await testApp.close();
    await telephony.close();
  });

  async function configuredAgent(): Promise<string> {
    const agentId = randomUUID();
    await testApp
      .api()
      .post(`/outbound/agents/${agentId}/outbound-config`)
      .send(
        configurationBody(
          agentId,
          { max_concurrent_calls: 1, respect_dnc: false },
          { phone_numbers: [{ phone_number: CALLER_A, is_default: true, daily_limit: 2 }] },
        ),
      )
      .expect(200);

    return agentId;
  }

  async function enqueue(agentId: string, behaviours: string[]): Promise<string[]> {
    const calls = behaviours.map((behaviour, index) => ({
      to_number: callee(index),
      context: { telephony: behaviour },
    }));
    const response = await testApp
      .api()
      .post(`/outbound/agents/${agentId}/calls/batch`)
      .send({ calls })
      .expect(202);

    return (response.body.accepted as { call_id: string }[]).map((call) => call.call_id);
  }

  /** Samples a call's status, failures, slot and the day's count together, until stopped. */
  function sampleCall(agentId: string, callId: string) {
    const agentKeys = testApp.keys.forAgent(agentId);
    const samples: Sample[] = [];
    let running = true;
    const done = (async () => {
      while (running) {
        const replies = await testApp.redis
          .multi()
          .hmget(agentKeys.call(callId), 'status', 'failures')
          .zscore(agentKeys.forSchedule('main').leases, callId)
          .hget(agentKeys.dailyAttempts(dayKey(Date.now(), 'UTC')), CALLER_A)
          .exec();
        const [[, fields], [, lease], [, count]] = replies as [unknown, unknown][];
        const [status, failures] = fields as (string | null)[];
        samples.push({
          status,
          failures: Number(failures ?? 0),
          holdsSlot: lease !== null,
          attemptsToday: Number(count ?? 0),
          at: Date.now(),
        });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    return {
      samples,
      stop: async () => {
        running = false;
        await done;
      },
    };
  }

  async function waitForDialsOf(callId: string, count: number, timeoutMs: number) {
    return eventually(
      async () => {
        const dials = telephony.dialsOf(callId);

        return dials.length >= count ? dials : undefined;
      },
      timeoutMs,
      5,
    );
  }

  function endCall(callId: string): Promise<unknown> {
    return testApp
      .api()
      .post(`/outbound/calls/${callId}/events`)
      .send({ status: 'completed', duration_seconds: 1 })
      .expect(200);
  }

  it('5xx: gives each count back, backs off 1 s, 2 s, 4 s … 60 s, frees the slot, fails after ten', async () => {
    const agentId = await configuredAgent();
    const [failing, other] = await enqueue(agentId, ['503', 'answer']);
    const sampler = sampleCall(agentId, failing);
    await waitForDialsOf(other, 1, 5000);
    await endCall(other);

    // Five backoffs live (1+2+4+8+16 s), timed at the telephony side.
    const liveDials = await waitForDialsOf(failing, 6, 45_000);
    await sampler.stop();
    const otherDial = telephony.dialsOf(other)[0];
    const liveGaps = gapsOf(liveDials);

    // The remaining backoffs (32 s, 60 s ×4) read from next_attempt_at, then brought forward.
    const readGaps: number[] = [];
    for (let dials = 6; dials <= 10; dials++) {
      const call = await eventually(async () => {
        const view = await testApp.api().get(`/outbound/calls/${failing}`);

        return view.body.status === 'queued' && view.body.next_attempt_at ? view.body : undefined;
      });
      const lastDial = telephony.dialsOf(failing)[dials - 1].receivedAt;
      readGaps.push(Date.parse(call.next_attempt_at as string) - lastDial);
      await bringRetryForward(agentId, failing);
      await waitForDialsOf(failing, dials + 1, 10_000);
    }
    const ended = await eventually(async () => {
      const view = await testApp.api().get(`/outbound/calls/${failing}`);

      return view.body.status === 'failed' ? view.body : undefined;
    });
    const countAtEnd = await attemptsToday(agentId);

    const queuedSamples = sampler.samples.filter((sample) => sample.status === 'queued');
    console.log(
      [
        '5xx answers:',
        `  dials of the failing call: ${telephony.dialsOf(failing).length} (1 + 10 retries)`,
        `  gaps measured at the telephony side (ms): ${liveGaps.join(', ')}; expected ${BACKOFF_MS.slice(0, 5).join(', ')}`,
        `  gaps read from next_attempt_at (ms): ${readGaps.join(', ')}; expected ${BACKOFF_MS.slice(5).join(', ')}`,
        `  other call (max_concurrent_calls 1) dialed ${otherDial.receivedAt - liveDials[0].receivedAt} ms after the first failed dial, before the second`,
        `  samples while waiting to retry: ${queuedSamples.length}; holding a slot: ${queuedSamples.filter((s) => s.holdsSlot).length}; ` +
          `largest count today: ${Math.max(...queuedSamples.map((s) => s.attemptsToday))} (only the other call's)`,
        `  end: status ${ended.status}, reason ${ended.blocked_reason}; count today ${countAtEnd} of limit ${DAILY_LIMIT}`,
      ].join('\n'),
    );

    liveGaps.forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(BACKOFF_MS[index]);
      expect(gap).toBeLessThan(BACKOFF_MS[index] + LATENESS_MS);
    });
    readGaps.forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(BACKOFF_MS[5 + index]);
      expect(gap).toBeLessThan(BACKOFF_MS[5 + index] + LATENESS_MS);
    });
    expect(otherDial.receivedAt).toBeGreaterThan(liveDials[0].receivedAt);
    expect(otherDial.receivedAt).toBeLessThan(liveDials[1].receivedAt);
    expect(queuedSamples.length).toBeGreaterThan(100);
    expect(queuedSamples.filter((sample) => sample.holdsSlot)).toEqual([]);
    expect(queuedSamples.filter((sample) => sample.attemptsToday > 1)).toEqual([]);
    expect(telephony.dialsOf(failing)).toHaveLength(11);
    expect(ended.blocked_reason).toBe('dialer_unreachable');
    expect(countAtEnd).toBe(1);
  });

  it('connection refused: gives each count back and backs off 1 s, 2 s, 4 s', async () => {
    const agentId = await configuredAgent();
    await telephony.close();
    const [callId] = await enqueue(agentId, ['answer']);
    const sampler = sampleCall(agentId, callId);
    await eventually(
      async () => (sampler.samples.at(-1)?.failures === 3 ? true : undefined),
      15_000,
    );
    await telephony.listen();
    const [dial] = await waitForDialsOf(callId, 1, 10_000);
    await sampler.stop();
    await endCall(callId);

    // A failure is recorded when the refused dial comes back: its instant, as sampled.
    const failedAt = [1, 2, 3].map(
      (failures) => sampler.samples.find((sample) => sample.failures === failures)?.at ?? NaN,
    );
    const gaps = [
      failedAt[1] - failedAt[0],
      failedAt[2] - failedAt[1],
      dial.receivedAt - failedAt[2],
    ];
    const queuedSamples = sampler.samples.filter((sample) => sample.status === 'queued');
    const countAtEnd = await attemptsToday(agentId);
    const attempts = (await testApp.api().get(`/outbound/calls/${callId}`)).body.attempts;
    console.log(
      [
        'connection refused:',
        `  gaps between refused dials, then to the dial that got through (ms, sampled every ~10 ms): ${gaps.join(', ')}; expected 1000, 2000, 4000`,
        `  samples while waiting to retry: ${queuedSamples.length}; holding a slot: ${queuedSamples.filter((s) => s.holdsSlot).length}; ` +
          `largest count today: ${Math.max(...queuedSamples.map((s) => s.attemptsToday))}`,
        `  after the dial got through: count today ${countAtEnd}, call attempts ${attempts}`,
      ].join('\n'),
    );

    gaps.forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(BACKOFF_MS[index] - 50);
      expect(gap).toBeLessThan(BACKOFF_MS[index] + LATENESS_MS);
    });
    expect(queuedSamples.length).toBeGreaterThan(100);
    expect(queuedSamples.filter((sample) => sample.holdsSlot)).toEqual([]);
    expect(queuedSamples.filter((sample) => sample.attemptsToday !== 0)).toEqual([]);
    expect(countAtEnd).toBe(1);
    expect(attempts).toBe(1);
  });

  it('10 s timeouts: holds the slot only while the dial waits, then gives it and the count back', async () => {
    const agentId = await configuredAgent();
    const [callId] = await enqueue(agentId, ['silent-twice']);
    const sampler = sampleCall(agentId, callId);
    const dials = await waitForDialsOf(callId, 3, 40_000);
    await sampler.stop();
    await endCall(callId);

    const gaps = gapsOf(dials);
    const expected = [DIAL_TIMEOUT_MS + BACKOFF_MS[0], DIAL_TIMEOUT_MS + BACKOFF_MS[1]];
    const queuedSamples = sampler.samples.filter((sample) => sample.status === 'queued');
    const dialingSamples = sampler.samples.filter((sample) => sample.status === 'dialing');
    const countAtEnd = await attemptsToday(agentId);
    console.log(
      [
        '10 s timeouts:',
        `  gaps between dials at the telephony side (ms): ${gaps.join(', ')}; expected ${expected.join(', ')} (timeout + backoff)`,
        `  samples while dialing: ${dialingSamples.length}, holding a slot: ${dialingSamples.filter((s) => s.holdsSlot).length}; ` +
          `while waiting to retry: ${queuedSamples.length}, holding a slot: ${queuedSamples.filter((s) => s.holdsSlot).length}, ` +
          `largest count today: ${Math.max(...queuedSamples.map((s) => s.attemptsToday))}`,
        `  after the third dial was taken: count today ${countAtEnd}`,
      ].join('\n'),
    );

    gaps.forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(expected[index]);
      expect(gap).toBeLessThan(expected[index] + LATENESS_MS);
    });
    expect(queuedSamples.length).toBeGreaterThan(50);
    expect(queuedSamples.filter((sample) => sample.holdsSlot)).toEqual([]);
    expect(queuedSamples.filter((sample) => sample.attemptsToday !== 0)).toEqual([]);
    expect(dialingSamples.every((sample) => sample.holdsSlot && sample.attemptsToday === 1)).toBe(
      true,
    );
    expect(countAtEnd).toBe(1);
  });

  async function attemptsToday(agentId: string): Promise<number> {
    const key = testApp.keys.forAgent(agentId).dailyAttempts(dayKey(Date.now(), 'UTC'));

    return Number((await testApp.redis.hget(key, CALLER_A)) ?? 0);
  }

  /**
   * Makes a call's pending retry due now and wakes its schedule, as its own wake-up would at
   * next_attempt_at: the schedule of the remaining backoffs is read, not waited for.
   */
  async function bringRetryForward(agentId: string, callId: string): Promise<void> {
    const agentKeys = testApp.keys.forAgent(agentId);
    const now = Date.now();
    await testApp.redis
      .multi()
      .zadd(agentKeys.forSchedule('main').deferred, now, callId)
      .hset(agentKeys.call(callId), 'next', now)
      .exec();
    await testApp.app.get(WakeRequests).request(agentId, 'main', now, now);
  }
});

/** 503 for every dial of a `503` call, silence for the first two of a `silent-twice` one. */
function treatmentOf(behaviour: unknown, telephony: ScriptedTelephony, callId: string) {
  if (behaviour === '503') {
    return 503;
  }
  if (behaviour === 'silent-twice' && telephony.dialsOf(callId).length <= 2) {
    return 'silent';
  }

  return 202;
}

function gapsOf(dials: ScriptedDial[]): number[] {
  return dials.slice(1).map((dial, index) => dial.receivedAt - dials[index].receivedAt);
}
