import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { dayKey } from '../../src/calendar/schedule-calendar';
import { startTestApp, TestApp } from '../support/app';
import { ALWAYS_OPEN, CALLER_A, CALLER_B, callee } from '../support/configurations';
import { eventually } from '../support/poll';
import { FakeTelephony } from '../support/telephony';

type Operation =
  | { kind: 'enqueue'; count: number; priority: string; maxAttempts: number }
  | { kind: 'end'; pick: number; status: 'completed' | 'busy' | 'no_answer' | 'failed' }
  | { kind: 'repeat-event'; pick: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'expire-leases' }
  | { kind: 'raise-cap' }
  | { kind: 'pause'; ms: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant('enqueue' as const),
    count: fc.integer({ min: 1, max: 4 }),
    priority: fc.constantFrom('low', 'normal', 'high', 'urgent'),
    maxAttempts: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({
    kind: fc.constant('end' as const),
    pick: fc.nat(),
    status: fc.constantFrom(
      'completed' as const,
      'busy' as const,
      'no_answer' as const,
      'failed' as const,
    ),
  }),
  fc.record({ kind: fc.constant('repeat-event' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.constant({ kind: 'expire-leases' as const }),
  fc.constant({ kind: 'raise-cap' as const }),
  fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 40 }) }),
);

interface Scenario {
  cap: number;
  limits: [number, number];
  operations: Operation[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  cap: fc.integer({ min: 1, max: 3 }),
  limits: fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 5 })),
  operations: fc.array(operation, { minLength: 4, maxLength: 25 }),
});

/**
 * Random configurations and random orders of enqueues, ends, repeated events, cancels, lease
 * expiries and configuration changes, against the real engine. After every step: live calls
 * within the cap and attempts within each number's daily limit; at the end: no attempt dialed
 * twice, and nothing left waiting that could be dialed.
 */
describe('pacing invariants under random operations', () => {
  let telephony: FakeTelephony;
  let testApp: TestApp;

  beforeAll(async () => {
    telephony = await FakeTelephony.start();
    testApp = await startTestApp({ DIALER_DRIVER: 'http', DIALER_URL: telephony.url });
  });

  afterAll(async () => {
    await testApp.close();
    await telephony.stop();
  });

  it('never breaks a limit nor dials an attempt twice', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (generated) => runScenario(testApp, telephony, generated)),
      { numRuns: 12 },
    );
  }, 120_000);
});

async function runScenario(testApp: TestApp, telephony: FakeTelephony, scenario: Scenario) {
  const agentId = randomUUID();
  let cap = scenario.cap;
  const post = (path: string, body: object) => testApp.api().post(path).send(body);
  const configure = () =>
    post(`/outbound/agents/${agentId}/outbound-config`, {
      agent_id: agentId,
      phone_numbers: [
        { phone_number: CALLER_A, is_default: true, daily_limit: scenario.limits[0] },
        { phone_number: CALLER_B, daily_limit: scenario.limits[1] },
      ],
      schedules: [
        {
          name: 'main',
          time_windows: [ALWAYS_OPEN],
          max_concurrent_calls: cap,
          respect_dnc: false,
        },
      ],
    }).expect(200);
  const keys = testApp.keys.forAgent(agentId);
  const callIds: string[] = [];
  const liveDials = () => telephony.dials.filter((dial) => dial.body.agent_id === agentId);
  await configure();

  for (const step of scenario.operations) {
    if (step.kind === 'enqueue') {
      const calls = Array.from({ length: step.count }, () => ({
        to_number: callee(callIds.length % 9000),
        priority: step.priority,
        max_attempts: step.maxAttempts,
        retry_delay_seconds: 0,
      }));
      const response = await post(`/outbound/agents/${agentId}/calls/batch`, { calls });
      callIds.push(...(response.body.accepted as { call_id: string }[]).map((c) => c.call_id));
    } else if (step.kind === 'end' || step.kind === 'repeat-event') {
      const dials = liveDials();
      if (dials.length > 0) {
        const dial = dials[step.pick % dials.length];
        const status = step.kind === 'end' ? step.status : 'completed';
        await post(
          new URL(dial.body.callback_url).pathname + new URL(dial.body.callback_url).search,
          {
            status,
          },
        );
      }
    } else if (step.kind === 'cancel') {
      if (callIds.length > 0) {
        await testApp.api().delete(`/outbound/calls/${callIds[step.pick % callIds.length]}`);
      }
    } else if (step.kind === 'expire-leases') {
      const leases = await testApp.redis.zrange(keys.forSchedule('main').leases, 0, -1);
      for (const callId of leases) {
        await testApp.redis.zadd(keys.forSchedule('main').leases, 'XX', Date.now() - 1, callId);
      }
      await configure();
    } else if (step.kind === 'raise-cap') {
      cap += 1;
      await configure();
    } else {
      await new Promise((resolve) => setTimeout(resolve, step.ms));
    }
    await checkLimits(testApp, agentId, cap, scenario.limits);
  }

  await eventually(async () => ((await quiet(testApp, agentId)) ? true : undefined), 5000);
  await checkLimits(testApp, agentId, cap, scenario.limits);
  const attempts = liveDials().map((dial) => dial.body.callback_url);
  expect(new Set(attempts).size).toBe(attempts.length);
  await checkNothingDialableWaits(testApp, agentId, cap, scenario.limits);
}

async function checkLimits(testApp: TestApp, agentId: string, cap: number, limits: number[]) {
  const keys = testApp.keys.forAgent(agentId);
  const live = await testApp.redis.zcard(keys.forSchedule('main').leases);
  const counted = await testApp.redis.hgetall(keys.dailyAttempts(dayKey(Date.now(), 'UTC')));

  expect(live).toBeLessThanOrEqual(cap);
  expect(Number(counted[CALLER_A] ?? 0)).toBeLessThanOrEqual(limits[0]);
  expect(Number(counted[CALLER_B] ?? 0)).toBeLessThanOrEqual(limits[1]);
}

/** Settled: no wake-up due within a second, and none claimed over the last 150 ms. */
async function quiet(testApp: TestApp, agentId: string): Promise<boolean> {
  const markerKey = testApp.keys.forAgent(agentId).forSchedule('main').wake;
  const before = await testApp.redis.get(markerKey);
  await new Promise((resolve) => setTimeout(resolve, 150));
  const after = await testApp.redis.get(markerKey);

  return before === after && (after === null || Number(after) > Date.now() + 1000);
}

/** A call still queued means the cap is full or every number has spent its day. */
async function checkNothingDialableWaits(
  testApp: TestApp,
  agentId: string,
  cap: number,
  limits: number[],
) {
  const page = await testApp
    .api()
    .get(`/outbound/agents/${agentId}/calls?status=queued&limit=1000`);
  if (page.body.calls.length === 0) {
    return;
  }
  const keys = testApp.keys.forAgent(agentId);
  const live = await testApp.redis.zcard(keys.forSchedule('main').leases);
  const counted = await testApp.redis.hgetall(keys.dailyAttempts(dayKey(Date.now(), 'UTC')));
  const spent =
    Number(counted[CALLER_A] ?? 0) >= limits[0] && Number(counted[CALLER_B] ?? 0) >= limits[1];

  expect(live >= cap || spent).toBe(true);
}
