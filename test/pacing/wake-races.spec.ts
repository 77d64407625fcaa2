import { callee } from '../support/configurations';
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
