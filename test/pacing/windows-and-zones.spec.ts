import { callee } from '../support/configurations';
import { PacingHarness, sleep, utcClockTime } from './pacing-harness';

const HOUR_MS = 3_600_000;

/** A UTC window, all week, from `startMs` to `endMs` on the clock (clamped to the day). */
function utcWindow(startMs: number, endMs: number) {
  const dayStart = Math.floor(Date.now() / (24 * HOUR_MS)) * 24 * HOUR_MS;

  return {
    start_time: startMs <= dayStart ? '00:00' : utcClockTime(startMs),
    end_time: endMs >= dayStart + 24 * HOUR_MS ? '24:00' : utcClockTime(endMs),
    days_of_week: [1, 2, 3, 4, 5, 6, 7],
    timezone: 'UTC',
  };
}

describe('windows and callee zones', () => {
  let harness: PacingHarness;

  beforeAll(async () => {
    harness = await PacingHarness.start();
  });

  afterEach(() => {
    harness.telephony.dials.length = 0;
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('dials nothing before a window opens and the first call promptly after', async () => {
    const opensAt = Math.ceil((Date.now() + 2_000) / 1_000) * 1_000;
    const window = {
      start_time: utcClockTime(opensAt),
      end_time: '24:00',
      days_of_week: [1, 2, 3, 4, 5, 6, 7],
      timezone: 'UTC',
    };
    const agentId = await harness.configure({ time_windows: [window], respect_timezone: false });
    await harness.enqueue(agentId, { to_number: callee(1) });

    await harness.telephony.waitForDials(1, 5_000);
    const lag = harness.telephony.dials[0].receivedAt - opensAt;
    console.log(`window opening at ${window.start_time} UTC: first dial ${lag} ms after it`);

    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(250);
  });

  it("dials a call whose callee zone is inside the window past an urgent one whose zone isn't", async () => {
    const now = Date.now();
    const agentId = await harness.configure({
      time_windows: [utcWindow(now - HOUR_MS, now + HOUR_MS)],
      respect_timezone: true,
      max_concurrent_calls: 1,
    });
    const asleep = await harness.enqueue(agentId, {
      to_number: callee(1),
      priority: 'urgent',
      contact_timezone: 'Asia/Kathmandu',
    });
    const awake = await harness.enqueue(agentId, {
      to_number: callee(2),
      priority: 'low',
      contact_timezone: 'UTC',
    });

    await harness.telephony.waitForDials(1);
    await sleep(500);

    expect(harness.dialedIds()).toEqual([awake]);
    expect((await harness.call(asleep)).status).toBe('queued');
  });

  it('reads the window in its own zone for every call without respect_timezone', async () => {
    const now = Date.now();
    const agentId = await harness.configure({
      time_windows: [utcWindow(now - HOUR_MS, now + HOUR_MS)],
      respect_timezone: false,
      max_concurrent_calls: 2,
    });
    const kathmandu = await harness.enqueue(agentId, {
      to_number: callee(1),
      priority: 'urgent',
      contact_timezone: 'Asia/Kathmandu',
    });
    const utc = await harness.enqueue(agentId, {
      to_number: callee(2),
      priority: 'low',
      contact_timezone: 'UTC',
    });

    await harness.telephony.waitForDials(2);

    expect(harness.dialedIds().sort()).toEqual([kathmandu, utc].sort());
  });
});
