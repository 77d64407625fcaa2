import { callee } from '../support/configurations';
import { WakeRequests } from '../../src/pacing/wake-requests';
import { PacingHarness, sleep } from './pacing-harness';

describe('wake-ups racing enqueues', () => {
  let harness: PacingHarness;

  beforeAll(async () => {
    harness = await PacingHarness.start();
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await harness.stop();
  });

  it('dials a call enqueued into a new waiting line while a decision was reading the lines', async () => {
    const agentId = await harness.configure({ max_concurrent_calls: 2, respect_timezone: false });
    const linesKey = harness.testApp.keys.forAgent(agentId).forSchedule('main').lines;
    const redis = harness.testApp.redis;
    const readLines = redis.smembers.bind(redis);
    let lateCall: Promise<string> | null = null;
    // The decision reads the lines, then this enqueue lands before its script runs: it finds the
    // first call's wake-up pending and adds none of its own.
    jest.spyOn(redis, 'smembers').mockImplementation(async (key: unknown) => {
      const lines = await readLines(key as string);
      if (key === linesKey && lateCall === null) {
        lateCall = harness.enqueue(agentId, {
          to_number: callee(2),
          contact_timezone: 'Asia/Tokyo',
        });
        await lateCall;
      }

      return lines;
    });

    const firstCall = await harness.enqueue(agentId, {
      to_number: callee(1),
      contact_timezone: 'Europe/Paris',
    });
    await harness.telephony.waitForDials(2, 3_000);
    await sleep(100);

    expect(lateCall).not.toBeNull();
    expect(harness.dialedIds().sort()).toEqual([firstCall, await lateCall!].sort());
  });
});

describe('wake-ups after a call ends', () => {
  let harness: PacingHarness;

  beforeAll(async () => {
    harness = await PacingHarness.start();
  });

  afterAll(async () => {
    await harness.stop();
  });

  async function wakeJobsOf(): Promise<number> {
    const queue = harness.testApp.app.get(WakeRequests).queue;
    const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');

    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  it('asks for no wake-up when the freed slot has no waiting call to take it', async () => {
    const agentId = await harness.configure({ max_concurrent_calls: 1 });
    const callId = await harness.enqueue(agentId, { to_number: callee(1) });
    await harness.telephony.waitForDials(1);
    await sleep(200);
    const marker = harness.testApp.keys.forAgent(agentId).forSchedule('main').wake;
    const jobsBefore = await wakeJobsOf();
    const markerBefore = await harness.testApp.redis.get(marker);

    expect(await harness.report(callId, 'completed')).toBe('ended');
    await sleep(200);

    expect(await wakeJobsOf()).toBe(jobsBefore);
    expect(await harness.testApp.redis.get(marker)).toBe(markerBefore);
  });

  it('wakes the schedule when the freed slot has a waiting call', async () => {
    harness.telephony.dials.length = 0;
    const agentId = await harness.configure({ max_concurrent_calls: 1 });
    const first = await harness.enqueue(agentId, { to_number: callee(1) });
    const second = await harness.enqueue(agentId, { to_number: callee(2) });
    await harness.telephony.waitForDials(1);
    await sleep(200);

    const endedAt = Date.now();
    await harness.report(first, 'completed');
    await harness.telephony.waitForDials(2, 2_000);

    expect(harness.dialedIds()).toEqual([first, second]);
    expect(harness.telephony.dials[1].receivedAt - endedAt).toBeLessThan(250);
  });
});
