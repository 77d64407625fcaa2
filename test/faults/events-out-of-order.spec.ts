import { randomUUID } from 'node:crypto';
import { dayKey } from '../../src/calendar/schedule-calendar';
import { CallEventResult } from '../../src/calls/call-events.service';
import { closedWindow, PacingHarness, sleep } from '../pacing/pacing-harness';
import { CALLER_A, callee } from '../support/configurations';

function isIgnored(result: string): boolean {
  return result === 'stale' || result === 'unchanged';
}

/** What one call holds in Redis beyond what the API shows. */
interface Footprint {
  status: string;
  attempts: number;
  leases: number;
  deferred: number;
  countedToday: number;
}

/**
 * The telephony side's events arrive repeated, late, out of order, for unknown calls or for an
 * earlier attempt. Each case reads the state back and checks that only the first event that means
 * something changed it.
 */
describe('call events out of order', () => {
  let harness: PacingHarness;
  const answers = new Map<string, number>();

  beforeAll(async () => {
    harness = await PacingHarness.start();
  });

  afterEach(() => {
    harness.telephony.dials.length = 0;
  });

  afterAll(async () => {
    const summary = [...answers].map(([answer, count]) => `${answer} x${count}`).join(', ');
    const sent = [...answers.values()].reduce((sum, count) => sum + count, 0);
    console.log(`events sent: ${sent}; answers: ${summary}`);
    await harness.stop();
  });

  async function send(callId: string, status: string, attempt?: number): Promise<string> {
    const query = attempt === undefined ? '' : `?attempt=${attempt}`;
    const response = await harness.testApp
      .api()
      .post(`/outbound/calls/${callId}/events${query}`)
      .send({ status });
    const answer = response.status === 200 ? (response.body.result as string) : response.status;
    answers.set(String(answer), (answers.get(String(answer)) ?? 0) + 1);

    return String(answer);
  }

  async function footprint(agentId: string, callId: string): Promise<Footprint> {
    const agentKeys = harness.testApp.keys.forAgent(agentId);
    const scheduleKeys = agentKeys.forSchedule('main');
    const redis = harness.testApp.redis;
    const call = await harness.call(callId);

    return {
      status: call.status,
      attempts: call.attempts,
      leases: await redis.zcard(scheduleKeys.leases),
      deferred: await redis.zcard(scheduleKeys.deferred),
      countedToday: Number(
        await redis.hget(agentKeys.dailyAttempts(dayKey(Date.now(), 'UTC')), CALLER_A),
      ),
    };
  }

  async function dialedCall(schedule: Record<string, unknown> = {}) {
    const agentId = await harness.configure(schedule);
    const callId = await harness.enqueue(agentId, {
      to_number: callee(1),
      max_attempts: 2,
      retry_delay_seconds: 0,
    });
    await harness.telephony.waitForDials(1);
    await harness.callReaching(callId, 'dialing');

    return { agentId, callId };
  }

  it('answers an event for an unknown call with 404 in the error shape, storing nothing', async () => {
    const callId = randomUUID();

    const response = await harness.testApp
      .api()
      .post(`/outbound/calls/${callId}/events`)
      .send({ status: 'completed' });

    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `No call ${callId}.`,
      details: [],
    });
    expect(await harness.testApp.redis.keys(`*${callId}*`)).toEqual([]);
  });

  it('ends a call once when its end event comes again and again, even all at once', async () => {
    const { agentId, callId } = await dialedCall();

    const first = await send(callId, 'completed');
    const again = await send(callId, 'completed');
    const together = await Promise.all(Array.from({ length: 20 }, () => send(callId, 'completed')));

    expect([first, again, ...new Set(together)]).toEqual(['ended', 'unchanged', 'unchanged']);
    expect(await footprint(agentId, callId)).toEqual({
      status: 'completed',
      attempts: 1,
      leases: 0,
      deferred: 0,
      countedToday: 1,
    });
  });

  it('frees one slot once when twenty end events of one attempt race for it', async () => {
    const { agentId, callId } = await dialedCall({ max_concurrent_calls: 1 });

    const results = await Promise.all(Array.from({ length: 20 }, () => send(callId, 'busy', 1)));

    // The retry may be dialed while the copies still arrive: those are then about an earlier
    // attempt (stale), the others found it queued (unchanged).
    expect(results.filter((result) => result === 'retry')).toHaveLength(1);
    expect(results.filter((result) => result !== 'retry').every(isIgnored)).toBe(true);
    await harness.telephony.waitForDials(2);
    await sleep(300);
    expect(harness.telephony.dials).toHaveLength(2);
    expect(await footprint(agentId, callId)).toMatchObject({
      status: 'dialing',
      attempts: 2,
      leases: 1,
      countedToday: 2,
    });
  });

  it('applies an event without an attempt number to the current attempt', async () => {
    const { agentId, callId } = await dialedCall();
    await send(callId, 'busy', 1);
    await harness.telephony.waitForDials(2);
    await harness.callReaching(callId, 'dialing');

    expect(await send(callId, 'no_answer')).toBe('ended');
    expect(await footprint(agentId, callId)).toMatchObject({
      status: 'no_answer',
      attempts: 2,
      leases: 0,
    });
  });

  it('keeps an ended call ended when ringing and answered come late', async () => {
    const { agentId, callId } = await dialedCall();
    await send(callId, 'completed');

    const late = [await send(callId, 'ringing'), await send(callId, 'answered')];

    expect(late).toEqual(['unchanged', 'unchanged']);
    expect(await footprint(agentId, callId)).toMatchObject({ status: 'completed', leases: 0 });
  });

  it('ends a call whose completed comes before its answered, and keeps it ended', async () => {
    const { agentId, callId } = await dialedCall();

    const inOrderOfArrival = [
      await send(callId, 'completed'),
      await send(callId, 'answered'),
      await send(callId, 'ringing'),
    ];

    expect(inOrderOfArrival).toEqual(['ended', 'unchanged', 'unchanged']);
    expect(await footprint(agentId, callId)).toMatchObject({ status: 'completed', leases: 0 });
  });

  it('changes nothing on a second, different end: no retry after completed', async () => {
    const { agentId, callId } = await dialedCall();
    await send(callId, 'completed');

    expect(await send(callId, 'busy')).toBe('unchanged');
    expect(await send(callId, 'failed')).toBe('unchanged');
    await sleep(300);

    expect(harness.telephony.dials).toHaveLength(1);
    expect(await footprint(agentId, callId)).toEqual({
      status: 'completed',
      attempts: 1,
      leases: 0,
      deferred: 0,
      countedToday: 1,
    });
  });

  it("refuses an earlier attempt's end as stale while the next attempt holds its slot", async () => {
    const { agentId, callId } = await dialedCall({ max_concurrent_calls: 1 });
    await harness.testApp.api().post(`/outbound/calls/${callId}/events?attempt=1`).send({
      status: 'busy',
    });
    await harness.telephony.waitForDials(2);
    await harness.callReaching(callId, 'dialing');

    const stale = [await send(callId, 'completed', 1), await send(callId, 'answered', 1)];

    expect(stale).toEqual(['stale', 'stale']);
    expect(await footprint(agentId, callId)).toEqual({
      status: 'dialing',
      attempts: 2,
      leases: 1,
      deferred: 0,
      countedToday: 2,
    });
    expect(await send(callId, 'completed', 2)).toBe('ended');
    expect((await footprint(agentId, callId)).leases).toBe(0);
  });

  it('changes nothing for a call still queued, nor for a cancelled one', async () => {
    const agentId = await harness.configure({ time_windows: [closedWindow()] });
    const queued = await harness.enqueue(agentId, { to_number: callee(1) });
    const cancelled = await harness.enqueue(agentId, { to_number: callee(2) });
    await harness.testApp.api().delete(`/outbound/calls/${cancelled}`).expect(200);

    const results: string[] = [];
    for (const status of ['ringing', 'answered', 'completed', 'busy', 'failed']) {
      results.push(await send(queued, status), await send(cancelled, status));
    }

    expect(new Set(results)).toEqual(new Set<CallEventResult>(['unchanged']));
    expect(await footprint(agentId, queued)).toMatchObject({ status: 'queued', attempts: 0 });
    expect((await harness.call(cancelled)).status).toBe('cancelled');
    expect(harness.telephony.dials).toHaveLength(0);
  });
});
