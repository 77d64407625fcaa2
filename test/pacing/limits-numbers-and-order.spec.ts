import { ALWAYS_OPEN, CALLER_A, CALLER_B, callee } from '../support/configurations';
import { PacingHarness, sleep } from './pacing-harness';

const CALLER_C = '+12125550102';
const CALLER_D = '+12125550103';

function nextUtcMidnight(): string {
  const now = new Date();

  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1),
  ).toISOString();
}

describe('daily limits, caller numbers and dial order', () => {
  let harness: PacingHarness;

  beforeAll(async () => {
    harness = await PacingHarness.start();
  });

  afterEach(() => {
    harness.telephony.dials.length = 0;
    harness.telephony.responder = () => 202;
  });

  afterAll(async () => {
    await harness.stop();
  });

  async function readout(agentId: string) {
    const response = await harness.testApp.api().get(`/outbound/agents/${agentId}/outbound-config`);
    expect(response.status).toBe(200);

    return response.body as Record<string, unknown>;
  }

  function callersDialed(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const dial of harness.telephony.dials) {
      counts[dial.body.from_number] = (counts[dial.body.from_number] ?? 0) + 1;
    }

    return counts;
  }

  it('dials exactly daily_limit calls a day and reports the limit spent until midnight', async () => {
    const agentId = await harness.configure(
      { max_concurrent_calls: 5 },
      { phone_numbers: [{ phone_number: CALLER_A, is_default: true, daily_limit: 3 }] },
    );
    for (let index = 0; index < 5; index++) {
      await harness.enqueue(agentId, { to_number: callee(index) });
    }

    await harness.telephony.waitForDials(3);
    await sleep(500);

    expect(harness.telephony.dials).toHaveLength(3);
    expect(await readout(agentId)).toMatchObject({
      total_calls_today: 3,
      calls_remaining_today: 0,
      can_call_now: false,
      next_available_time: nextUtcMidnight(),
    });
  });

  it('gives the daily count back when the dialer answers 5xx, and dials again a second later', async () => {
    const agentId = await harness.configure(
      {},
      { phone_numbers: [{ phone_number: CALLER_A, is_default: true, daily_limit: 1 }] },
    );
    harness.telephony.responder = (dial) =>
      harness.telephony.dialsOf(dial.call_id).length === 1 ? 503 : 202;
    const callId = await harness.enqueue(agentId, { to_number: callee(1) });

    await harness.telephony.waitForDials(2, 5_000);
    const [refused, placed] = harness.telephony.dials;
    const backoff = placed.receivedAt - refused.receivedAt;
    console.log(`5xx refund: dialed again ${backoff} ms after the refused dial`);

    expect(placed.body.call_id).toBe(callId);
    expect(backoff).toBeGreaterThanOrEqual(900);
    expect(backoff).toBeLessThan(1_500);
    expect(await harness.call(callId)).toMatchObject({ status: 'dialing', attempts: 1 });
    expect(await readout(agentId)).toMatchObject({
      total_calls_today: 1,
      calls_remaining_today: 0,
    });
  });

  it('ends the attempt failed when the dialer answers 4xx', async () => {
    const agentId = await harness.configure();
    harness.telephony.responder = () => 400;
    const callId = await harness.enqueue(agentId, { to_number: callee(1) });

    const call = await harness.callReaching(callId, 'failed');
    await sleep(300);

    expect(call).toMatchObject({ blocked_reason: 'dialer_rejected', attempts: 1 });
    expect(harness.telephony.dials).toHaveLength(1);
  });

  it('uses the default number while it has capacity, then the number with most left', async () => {
    const agentId = await harness.configure(
      { max_concurrent_calls: 10 },
      {
        phone_numbers: [
          { phone_number: CALLER_A, is_default: true, daily_limit: 2 },
          { phone_number: CALLER_C, daily_limit: 1 },
          { phone_number: CALLER_B, daily_limit: 4 },
          { phone_number: CALLER_D, daily_limit: 100, enabled: false },
        ],
      },
    );
    for (let index = 0; index < 5; index++) {
      await harness.enqueue(agentId, { to_number: callee(index) });
    }

    await harness.telephony.waitForDials(5);
    await sleep(300);

    expect(callersDialed()).toEqual({ [CALLER_A]: 2, [CALLER_B]: 3 });
  });

  it('dials a call with an explicit from_number only from that number', async () => {
    const agentId = await harness.configure(
      { max_concurrent_calls: 10 },
      {
        phone_numbers: [
          { phone_number: CALLER_A, is_default: true, daily_limit: 10 },
          { phone_number: CALLER_B, daily_limit: 1 },
        ],
      },
    );
    const first = await harness.enqueue(agentId, { to_number: callee(1), from_number: CALLER_B });
    const second = await harness.enqueue(agentId, { to_number: callee(2), from_number: CALLER_B });
    await harness.enqueue(agentId, { to_number: callee(3) });

    await harness.telephony.waitForDials(2);
    await sleep(500);

    expect(callersDialed()).toEqual({ [CALLER_A]: 1, [CALLER_B]: 1 });
    expect(harness.telephony.dialsOf(first)[0].body.from_number).toBe(CALLER_B);
    expect(await harness.call(second)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('dials higher priority first, then older first', async () => {
    const agentId = await harness.configure({ time_windows: [ALWAYS_OPEN] });
    harness.endEachDialAfter(50);
    const notBefore = new Date(Date.now() + 1_000).toISOString();
    const priorities = ['low', 'normal', 'high', 'urgent'];
    const batch = await harness.testApp
      .api()
      .post(`/outbound/agents/${agentId}/calls/batch`)
      .send({
        calls: priorities.map((priority, index) => ({
          to_number: callee(index),
          priority,
          not_before: notBefore,
        })),
      });
    expect(batch.status).toBe(202);
    const [low, normal, high, urgent] = (batch.body.accepted as { call_id: string }[]).map(
      (call) => call.call_id,
    );
    await sleep(20);
    const laterHigh = await harness.enqueue(agentId, {
      to_number: callee(9),
      priority: 'high',
      not_before: notBefore,
    });

    await harness.telephony.waitForDials(5, 5_000);

    expect(harness.dialedIds()).toEqual([urgent, high, laterHigh, normal, low]);
  });
});
