import { callee } from '../support/configurations';
import { gapsOf, PacingHarness, sleep } from './pacing-harness';

describe('concurrency and interval', () => {
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

  it('never has more than max_concurrent_calls live, and dials every call', async () => {
    const agentId = await harness.configure({ max_concurrent_calls: 3 });
    let live = 0;
    let mostLive = 0;
    harness.telephony.responder = (dial) => {
      live += 1;
      mostLive = Math.max(mostLive, live);
      setTimeout(() => (live -= 1), 100);
      harness.reportLater(dial.call_id, 'completed', 100);

      return 202;
    };

    for (let index = 0; index < 12; index++) {
      await harness.enqueue(agentId, { to_number: callee(index) });
    }
    await harness.telephony.waitForDials(12);

    expect(mostLive).toBe(3);
    expect(new Set(harness.dialedIds()).size).toBe(12);
  });

  it('dials nothing more after max_concurrent_calls is lowered until live calls fall below it', async () => {
    const agentId = await harness.configure({ max_concurrent_calls: 3 });
    for (let index = 0; index < 5; index++) {
      await harness.enqueue(agentId, { to_number: callee(index) });
    }
    await harness.telephony.waitForDials(3);

    await harness.configure({ max_concurrent_calls: 1 }, {}, agentId);
    const [first, second, third] = harness.dialedIds();
    await harness.report(first, 'completed');
    await harness.report(second, 'completed');
    await sleep(500);

    expect(harness.telephony.dials).toHaveLength(3);

    await harness.report(third, 'completed');
    await harness.telephony.waitForDials(4, 2_000);
    await sleep(300);

    expect(harness.telephony.dials).toHaveLength(4);
  });

  it('starts dials at least call_interval_seconds apart', async () => {
    const agentId = await harness.configure({
      max_concurrent_calls: 5,
      call_interval_seconds: 0.3,
    });
    const callIds: string[] = [];
    for (let index = 0; index < 5; index++) {
      callIds.push(await harness.enqueue(agentId, { to_number: callee(index) }));
    }
    await harness.telephony.waitForDials(5);

    const calls = await Promise.all(callIds.map((callId) => harness.call(callId)));
    const dialedAt = calls.map((call) => Date.parse(call.dialed_at as string)).sort();
    const dialGaps = gapsOf(dialedAt);
    const receivedGaps = gapsOf(harness.telephony.dials.map((dial) => dial.receivedAt));
    console.log(`interval 300 ms: dialed_at gaps ${dialGaps} ms, received gaps ${receivedGaps} ms`);

    expect(Math.min(...dialGaps)).toBeGreaterThanOrEqual(300);
    expect(Math.min(...receivedGaps)).toBeGreaterThanOrEqual(280);
  });
});
