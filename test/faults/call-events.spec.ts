import { randomUUID } from 'node:crypto';
import { dayKey } from '../../src/calendar/schedule-calendar';
import { CallView, closedWindow, PacingHarness, sleep } from '../pacing/pacing-harness';
import { CALLER_A, callee } from '../support/configurations';
import { eventually } from '../support/poll';

/**
 * Long enough for a slot wrongly freed or a retry wrongly queued to show as a dial: SPEC 3.3
 * dials an allowed call within 250 ms.
 */
const SETTLE_MS = 400;
const END_STATUSES = ['completed', 'busy', 'no_answer', 'failed', 'voicemail'];
const ALL_STATUSES = ['ringing', 'answered', ...END_STATUSES];

/** The call as GET /outbound/calls/:id shows it, with the fields these tests compare. */
type CallState = CallView & {
  outcome: string | null;
  duration_seconds: number | null;
  next_attempt_at: string | null;
};

/** One call's state in the API and in Redis, read together to compare before and after. */
interface Footprint {
  call: CallState;
  /** The call's Redis hash, every field. */
  record: Record<string, string>;
  /** Call ids holding a slot of the schedule, in lease order. */
  leases: string[];
  /** Score of the call among the deferred calls (a queued retry); null when absent. */
  deferredAt: string | null;
  /** Dial attempts counted today on the agent's one caller number. */
  attemptsToday: number;
  dials: number;
}

interface Answer {
  code: number;
  result: string | undefined;
}

/**
 * SPEC 3.4: events are idempotent; a repeated or late event changes nothing. The telephony side
 * sends repeated, late, unknown and out-of-order events; each test reads the call back through
 * the API and Redis and checks that only the first event that means something changed it.
 */
describe('call events out of order', () => {
  let harness: PacingHarness;
  const answers = new Map<string, number>();

  beforeAll(async () => {
    harness = await PacingHarness.start();
  });

  afterAll(async () => {
    const sent = [...answers.values()].reduce((sum, count) => sum + count, 0);
    const byAnswer = [...answers].map(([answer, count]) => `${answer}: ${count}`).join(', ');
    console.log(`call events: ${sent} sent; answers: ${byAnswer}`);
    await harness.stop();
  });

  /** Posts one event as the telephony side would, tallies the answer and returns it. */
  async function send(
    callId: string,
    status: string,
    event: { attempt?: number; duration?: number } = {},
  ): Promise<Answer> {
    const query = event.attempt === undefined ? '' : `?attempt=${event.attempt}`;
    const body =
      event.duration === undefined ? { status } : { status, duration_seconds: event.duration };
    const response = await harness.testApp
      .api()
      .post(`/outbound/calls/${callId}/events${query}`)
      .send(body);
    const answer = { code: response.status, result: response.body.result as string | undefined };
    const label = `${answer.code}${answer.result ? ` ${answer.result}` : ''}`;
    answers.set(label, (answers.get(label) ?? 0) + 1);

    return answer;
  }

  /** Sends the same event `copies` times at once; the results, sorted. */
  async function sendAtOnce(callId: string, status: string, copies: number, attempt?: number) {
    const sent = await Promise.all(
      Array.from({ length: copies }, () => send(callId, status, { attempt })),
    );

    return sent.map((answer) => `${answer.code} ${answer.result}`).sort();
  }

  async function footprint(agentId: string, callId: string): Promise<Footprint> {
    const agentKeys = harness.testApp.keys.forAgent(agentId);
    const scheduleKeys = agentKeys.forSchedule('main');
    const replies = (await harness.testApp.redis
      .multi()
      .hgetall(agentKeys.call(callId))
      .zrange(scheduleKeys.leases, 0, -1)
      .zscore(scheduleKeys.deferred, callId)
      .hget(agentKeys.dailyAttempts(dayKey(Date.now(), 'UTC')), CALLER_A)
      .exec()) as [Error | null, unknown][];
    const [record, leases, deferredAt, counted] = replies.map(([, reply]) => reply);

    return {
      call: (await harness.call(callId)) as CallState,
      record: record as Record<string, string>,
      leases: leases as string[],
      deferredAt: deferredAt as string | null,
      attemptsToday: Number(counted ?? 0),
      dials: harness.telephony.dialsOf(callId).length,
    };
  }

  /** Resolves once the telephony side has had `count` dials of the call, then its status. */
  async function dialed(callId: string, count = 1): Promise<CallState> {
    await eventually(async () =>
      harness.telephony.dialsOf(callId).length >= count ? true : undefined,
    );

    return (await harness.callReaching(callId, 'dialing')) as CallState;
  }

  /** A new agent (one slot unless `schedule` says otherwise) with one call now dialing. */
  async function dialingCall(schedule: Record<string, unknown> = {}, call = {}) {
    const agentId = await harness.configure({ max_concurrent_calls: 1, ...schedule });
    const callId = await harness.enqueue(agentId, { to_number: callee(1), ...call });
    await dialed(callId);

    return { agentId, callId };
  }

  it('answers an event for an unknown call with 404 in the error shape, storing nothing', async () => {
    const callId = randomUUID();

    const answered = [];
    for (const status of ['ringing', 'completed', 'busy']) {
      const response = await harness.testApp
        .api()
        .post(`/outbound/calls/${callId}/events?attempt=1`)
        .send({ status });
      answered.push({ status: response.status, body: response.body as unknown });
      answers.set('404', (answers.get('404') ?? 0) + 1);
    }

    const notFound = {
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: `No call ${callId}.`, details: [] },
    };
    expect(answered).toEqual([notFound, notFound, notFound]);
    expect(await harness.testApp.redis.keys(`*${callId}*`)).toEqual([]);
  });

  it('refuses an event with an unknown status with 400 naming the field, changing nothing', async () => {
    const { agentId, callId } = await dialingCall();
    const before = await footprint(agentId, callId);

    const response = await harness.testApp
      .api()
      .post(`/outbound/calls/${callId}/events`)
      .send({ status: 'hung_up' });
    answers.set('400', (answers.get('400') ?? 0) + 1);

    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'status', problem: expect.any(String) }]);
    expect(await footprint(agentId, callId)).toEqual(before);
  });

  it('ends a call once and frees its slot once when its end comes again, one by one and 20 at once', async () => {
    const { agentId, callId } = await dialingCall();
    const next = await harness.enqueue(agentId, { to_number: callee(2) });
    const last = await harness.enqueue(agentId, { to_number: callee(3) });

    const first = await send(callId, 'completed', { duration: 42 });
    await dialed(next);
    const ended = await footprint(agentId, callId);
    const repeated = [];
    for (let copy = 0; copy < 3; copy += 1) {
      repeated.push(await send(callId, 'completed', { duration: 99 }));
    }
    const together = await sendAtOnce(callId, 'completed', 20);
    await sleep(SETTLE_MS);

    expect(first).toEqual({ code: 200, result: 'ended' });
    expect(repeated).toEqual(Array(3).fill({ code: 200, result: 'unchanged' }));
    expect(together).toEqual(Array(20).fill('200 unchanged'));
    expect(ended).toMatchObject({ leases: [next], attemptsToday: 2, deferredAt: null });
    expect(ended.call).toMatchObject({ status: 'completed', attempts: 1, duration_seconds: 42 });
    expect(await footprint(agentId, callId)).toEqual(ended);
    expect(harness.telephony.dialsOf(last)).toHaveLength(0);
    expect((await harness.call(last)).status).toBe('queued');
  });

  it('queues one retry, not twenty, when a busy end for attempt 1 comes twenty times at once', async () => {
    const { agentId, callId } = await dialingCall({}, { max_attempts: 2, retry_delay_seconds: 0 });

    const together = await sendAtOnce(callId, 'busy', 20, 1);
    await dialed(callId, 2);
    await sleep(SETTLE_MS);
    const later = await send(callId, 'busy', { attempt: 1 });

    expect(together.filter((answer) => answer === '200 retry')).toHaveLength(1);
    expect(together.filter((answer) => answer !== '200 retry')).toEqual(
      Array(19).fill(expect.stringMatching(/^200 (unchanged|stale)$/)),
    );
    expect(later).toEqual({ code: 200, result: 'stale' });
    expect(await footprint(agentId, callId)).toMatchObject({
      call: { status: 'dialing', attempts: 2, outcome: 'busy' },
      leases: [callId],
      deferredAt: null,
      attemptsToday: 2,
      dials: 2,
    });
  });

  it('keeps the one waiting retry where it is when busy comes again while it waits', async () => {
    const retry = { max_attempts: 2, retry_delay_seconds: 3600 };
    const { agentId, callId } = await dialingCall({}, retry);

    const first = await send(callId, 'busy');
    const waiting = await footprint(agentId, callId);
    const again = [await send(callId, 'busy'), await send(callId, 'no_answer', { attempt: 1 })];
    const together = await sendAtOnce(callId, 'busy', 20);
    await sleep(SETTLE_MS);

    expect(first).toEqual({ code: 200, result: 'retry' });
    expect(again).toEqual(Array(2).fill({ code: 200, result: 'unchanged' }));
    expect(together).toEqual(Array(20).fill('200 unchanged'));
    expect(waiting).toMatchObject({
      call: { status: 'queued', attempts: 1, outcome: 'busy' },
      leases: [],
      attemptsToday: 1,
      dials: 1,
    });
    expect(Number(waiting.deferredAt) - Date.parse(waiting.call.dialed_at ?? '')).toBeGreaterThan(
      3_500_000,
    );
    expect(await footprint(agentId, callId)).toEqual(waiting);
  });

  it('applies ringing once: a repeated ringing or answered while in progress changes nothing', async () => {
    const { agentId, callId } = await dialingCall();

    const first = await send(callId, 'ringing', { attempt: 1 });
    const ringing = await footprint(agentId, callId);
    const repeated = [
      await send(callId, 'ringing', { attempt: 1 }),
      await send(callId, 'answered', { attempt: 1 }),
      await send(callId, 'ringing'),
    ];

    expect(first).toEqual({ code: 200, result: 'in_progress' });
    expect(repeated).toEqual(Array(3).fill({ code: 200, result: 'unchanged' }));
    expect(ringing).toMatchObject({ call: { status: 'in_progress' }, leases: [callId] });
    expect(await footprint(agentId, callId)).toEqual(ringing);
  });

  it('keeps an ended call ended and its slot free when ringing and answered come late', async () => {
    const { agentId, callId } = await dialingCall();
    await send(callId, 'ringing');
    await send(callId, 'completed', { duration: 30 });
    const ended = await footprint(agentId, callId);

    const late = [
      await send(callId, 'ringing'),
      await send(callId, 'answered'),
      await send(callId, 'answered', { attempt: 1 }),
    ];
    const together = await sendAtOnce(callId, 'answered', 20, 1);

    expect(late).toEqual(Array(3).fill({ code: 200, result: 'unchanged' }));
    expect(together).toEqual(Array(20).fill('200 unchanged'));
    expect(ended).toMatchObject({ call: { status: 'completed' }, leases: [] });
    expect(await footprint(agentId, callId)).toEqual(ended);
  });

  it('ends a call completed when completed comes before answered and ringing, and keeps it so', async () => {
    const { agentId, callId } = await dialingCall();

    const inOrderOfArrival = [
      await send(callId, 'completed', { attempt: 1, duration: 12 }),
      await send(callId, 'answered', { attempt: 1 }),
      await send(callId, 'ringing', { attempt: 1 }),
    ];
    await sleep(SETTLE_MS);

    expect(inOrderOfArrival.map((answer) => answer.result)).toEqual([
      'ended',
      'unchanged',
      'unchanged',
    ]);
    expect(await footprint(agentId, callId)).toMatchObject({
      call: { status: 'completed', outcome: 'completed', attempts: 1, duration_seconds: 12 },
      leases: [],
      deferredAt: null,
      attemptsToday: 1,
      dials: 1,
    });
  });

  it("refuses an earlier attempt's end as stale while attempt 2 is dialing, which keeps its slot", async () => {
    const retry = { max_attempts: 2, retry_delay_seconds: 0 };
    const { agentId, callId } = await dialingCall({}, retry);
    const [firstCallback] = harness.telephony.dialsOf(callId).map((dial) => dial.body.callback_url);
    await send(callId, 'busy', { attempt: 1 });
    await dialed(callId, 2);
    const waiting = await harness.enqueue(agentId, { to_number: callee(2) });
    const second = await footprint(agentId, callId);

    const stale = [];
    for (const status of [...END_STATUSES, 'ringing', 'answered']) {
      stale.push(await send(callId, status, { attempt: 1 }));
    }
    const notYetMade = await send(callId, 'completed', { attempt: 3 });
    await sleep(SETTLE_MS);

    expect(new URL(firstCallback).search).toBe('?attempt=1');
    expect(stale).toEqual(Array(7).fill({ code: 200, result: 'stale' }));
    expect(notYetMade).toEqual({ code: 200, result: 'stale' });
    expect(second).toMatchObject({
      call: { status: 'dialing', attempts: 2 },
      leases: [callId],
      attemptsToday: 2,
      dials: 2,
    });
    expect(await footprint(agentId, callId)).toEqual(second);
    expect(harness.telephony.dialsOf(waiting)).toHaveLength(0);

    expect(await send(callId, 'completed', { attempt: 2 })).toEqual({ code: 200, result: 'ended' });
    await dialed(waiting);
  });

  it('changes nothing for a call still queued, nor for a cancelled one', async () => {
    const agentId = await harness.configure({ time_windows: [closedWindow()] });
    const queued = await harness.enqueue(agentId, { to_number: callee(1) });
    const cancelled = await harness.enqueue(agentId, { to_number: callee(2) });
    await harness.testApp.api().delete(`/outbound/calls/${cancelled}`).expect(200);
    const before = [await footprint(agentId, queued), await footprint(agentId, cancelled)];

    const results = new Set<string>();
    for (const status of ALL_STATUSES) {
      for (const callId of [queued, cancelled]) {
        const answer = await send(callId, status);
        results.add(`${answer.code} ${answer.result}`);
      }
    }
    const withAttempt = [
      await send(queued, 'completed', { attempt: 1 }),
      await send(cancelled, 'completed', { attempt: 1 }),
    ];
    await sleep(SETTLE_MS);

    expect([...results]).toEqual(['200 unchanged']);
    expect(withAttempt.map((answer) => answer.result)).toEqual(['stale', 'stale']);
    expect(before.map((state) => state.call.status)).toEqual(['queued', 'cancelled']);
    expect(before[0]).toMatchObject({ call: { attempts: 0, dialed_at: null, ended_at: null } });
    expect(await footprint(agentId, queued)).toEqual(before[0]);
    expect(await footprint(agentId, cancelled)).toEqual(before[1]);
    expect(before[0]).toMatchObject({ leases: [], attemptsToday: 0, dials: 0 });
  });

  it('changes nothing on a second, different end: no retry after completed', async () => {
    const retry = { max_attempts: 3, retry_delay_seconds: 0 };
    const { agentId, callId } = await dialingCall({}, retry);
    await send(callId, 'completed', { attempt: 1 });
    const ended = await footprint(agentId, callId);

    const conflicting = [];
    for (const status of ['busy', 'no_answer', 'failed', 'voicemail']) {
      conflicting.push(await send(callId, status), await send(callId, status, { attempt: 1 }));
    }
    const together = await sendAtOnce(callId, 'busy', 20, 1);
    await sleep(SETTLE_MS);

    expect(conflicting).toEqual(Array(8).fill({ code: 200, result: 'unchanged' }));
    expect(together).toEqual(Array(20).fill('200 unchanged'));
    expect(ended).toMatchObject({
      call: { status: 'completed', outcome: 'completed', attempts: 1 },
      leases: [],
      deferredAt: null,
      attemptsToday: 1,
      dials: 1,
    });
    expect(await footprint(agentId, callId)).toEqual(ended);
  });

  it('applies an event without an attempt number to the attempt under way (README choice)', async () => {
    const retry = { max_attempts: 2, retry_delay_seconds: 0 };
    const { agentId, callId } = await dialingCall({}, retry);
    await send(callId, 'busy', { attempt: 1 });
    await dialed(callId, 2);

    expect(await send(callId, 'no_answer')).toEqual({ code: 200, result: 'ended' });
    expect(await footprint(agentId, callId)).toMatchObject({
      call: { status: 'no_answer', attempts: 2 },
      leases: [],
      dials: 2,
    });
  });
});
