import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { dayKey } from '../../src/calendar/schedule-calendar';
import { RedisKeys } from '../../src/redis/redis-keys';
import { AnsweringTelephony } from '../support/answering-telephony';
import { CALLER_A, callee, configurationBody } from '../support/configurations';
import { eventually } from '../support/poll';
import { RestartableRedis } from '../support/restartable-redis';
import { ServiceProcess, startServiceProcess } from '../support/service-process';

const AGENTS = 100;
const CALLS_PER_AGENT = 100;
const CALLS = AGENTS * CALLS_PER_AGENT;
const MAX_CONCURRENT = 2;
/** Dials that happen before Redis is killed: most calls are still waiting then. */
const DIALS_BEFORE_KILL = 400;
const DOWN_MS = 6000;
/** A request that takes longer than this while Redis is down counts as hanging. */
const ANSWER_WITHIN_MS = 5000;
const KEY_PREFIX = 'restart';
/**
 * No agent may wait longer than this for its next dial once Redis is back. A wake-up job that
 * BullMQ handed to the worker just as Redis died (the reply lost) comes back through BullMQ's
 * stalled-job check: its 30 s lock, then a check every 30 s, so up to about a minute. A wake-up
 * lost for good shows as a pause until the agent's next lease expiry, 120 s after its last dial.
 */
const LONGEST_PAUSE_MS = 80_000;

interface Answer {
  status: number | string;
  ms: number;
  text: string;
}

describe('Redis killed with SIGKILL and restarted, with 10,000 calls queued', () => {
  const token = randomBytes(24).toString('base64url');
  const keys = new RedisKeys(KEY_PREFIX);
  let redis: RestartableRedis;
  let reader: Redis;
  let telephony: AnsweringTelephony;
  let api: ServiceProcess;
  let worker: ServiceProcess;

  beforeAll(async () => {
    redis = await RestartableRedis.start('always');
    reader = redis.connect();
    telephony = await AnsweringTelephony.start({ token, callMs: 300 });
    const shared = {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: KEY_PREFIX,
      API_TOKENS: token,
      DIALER_DRIVER: 'http',
      DIALER_URL: telephony.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'outpace-restart-data-')),
      // The telephony side sends thousands of events a minute with the one token.
      RATE_LIMIT_PER_MINUTE: '0',
      // Warnings name the recoveries counted below.
      LOG_LEVEL: 'warn',
    };
    api = await startServiceProcess({ ...shared, ROLE: 'api' });
    worker = await startServiceProcess({
      ...shared,
      ROLE: 'worker',
      PUBLIC_URL: `http://127.0.0.1:${api.port}`,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await telephony?.stop();
    reader?.disconnect();
    await redis?.stop();
  });

  async function call(
    service: ServiceProcess,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer> {
    const started = Date.now();
    const answer = await fetch(`http://127.0.0.1:${service.port}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    }).then(
      async (response) => ({ status: response.status, text: await response.text() }),
      (error: Error) => ({ status: error.name, text: '' }),
    );

    return { ...answer, ms: Date.now() - started };
  }

  function configure(agentId: string, enabled: boolean): Promise<Answer> {
    return call(
      api,
      'POST',
      `/outbound/agents/${agentId}/outbound-config`,
      configurationBody(
        agentId,
        { max_concurrent_calls: MAX_CONCURRENT, respect_dnc: false, enabled },
        { phone_numbers: [{ phone_number: CALLER_A, is_default: true, daily_limit: 100 }] },
      ),
    );
  }

  async function inBatches<T>(items: T[], width: number, task: (item: T) => Promise<void>) {
    for (let start = 0; start < items.length; start += width) {
      await Promise.all(items.slice(start, start + width).map(task));
    }
  }

  /** Every call id stored per agent, and each one's status, read straight from Redis. */
  async function storedStatuses(agentIds: string[]): Promise<Map<string, string | null>> {
    const statuses = new Map<string, string | null>();
    for (const agentId of agentIds) {
      const agentKeys = keys.forAgent(agentId);
      const callIds = await reader.zrange(agentKeys.calls, 0, -1);
      const pipeline = reader.pipeline();
      callIds.forEach((callId) => pipeline.hget(agentKeys.call(callId), 'status'));
      const replies = (await pipeline.exec()) ?? [];
      callIds.forEach((callId, index) => statuses.set(callId, replies[index][1] as string | null));
    }

    return statuses;
  }

  /** Probes every kind of route once, all at the same time, while Redis is down. */
  function probeWhileDown(agentId: string, callId: string): Promise<[string, Answer][]> {
    const probes: [string, Promise<Answer>][] = [
      ['GET /health (api)', call(api, 'GET', '/health')],
      ['GET /health (worker)', call(worker, 'GET', '/health')],
      ['GET config', call(api, 'GET', `/outbound/agents/${agentId}/outbound-config`)],
      ['POST config', configure(agentId, true)],
      [
        'POST call',
        call(api, 'POST', `/outbound/agents/${agentId}/calls`, { to_number: callee(999) }),
      ],
      ['GET call', call(api, 'GET', `/outbound/calls/${callId}`)],
      ['DELETE call', call(api, 'DELETE', `/outbound/calls/${callId}`)],
      ['GET calls', call(api, 'GET', `/outbound/agents/${agentId}/calls?limit=5`)],
      [
        'POST event',
        call(api, 'POST', `/outbound/calls/${callId}/events`, { status: 'completed' }),
      ],
      ['GET dnc', call(api, 'GET', `/outbound/dnc/${encodeURIComponent(callee(1))}`)],
    ];

    return Promise.all(
      probes.map(async ([name, answer]) => [name, await answer] as [string, Answer]),
    );
  }

  it('loses no call, dials none twice, answers 503 while down and resumes by itself', async () => {
    const agentIds = Array.from({ length: AGENTS }, () => randomUUID());
    await inBatches(agentIds, 20, async (agentId) => {
      expect((await configure(agentId, false)).status).toBe(200);
    });
    const callsOf = Array.from({ length: CALLS_PER_AGENT }, (_, index) => ({
      to_number: callee(index),
      schedule_id: 'main',
      max_call_duration_seconds: 60,
    }));
    let accepted = 0;
    await inBatches(agentIds, 10, async (agentId) => {
      const answer = await call(api, 'POST', `/outbound/agents/${agentId}/calls/batch`, {
        calls: callsOf,
      });
      expect(answer.status).toBe(202);
      accepted += (JSON.parse(answer.text) as { accepted: unknown[] }).accepted.length;
    });
    const queued = await storedStatuses(agentIds);
    expect(accepted).toBe(CALLS);
    expect(queued.size).toBe(CALLS);
    expect([...queued.values()].every((status) => status === 'queued')).toBe(true);

    await inBatches(agentIds, 20, async (agentId) => {
      expect((await configure(agentId, true)).status).toBe(200);
    });
    await telephony.telephony.waitForDials(DIALS_BEFORE_KILL, 60_000);
    await redis.kill('SIGKILL');
    const killedAt = Date.now();
    const dialsAtKill = telephony.telephony.dials.length;

    const probeCallId = [...queued.keys()][CALLS - 1];
    const seenWhileDown: [string, Answer][] = [];
    while (Date.now() - killedAt < DOWN_MS) {
      seenWhileDown.push(...(await probeWhileDown(agentIds[0], probeCallId)));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const dialsWhileDown = telephony.telephony.dials.length - dialsAtKill;
    const aliveWhileDown = [api, worker].every((service) => service.child.exitCode === null);

    await redis.restart();
    const restartedAt = Date.now();
    const firstDialAfter = await eventually(
      async () => telephony.telephony.dials.find((dial) => dial.receivedAt >= restartedAt),
      60_000,
      50,
    );
    const resumedAfterMs = firstDialAfter.receivedAt - restartedAt;
    const finished = await eventually(
      async () => {
        const statuses = await storedStatuses(agentIds);
        const done = [...statuses.values()].filter((status) => status === 'completed').length;

        return done === CALLS ? statuses : undefined;
      },
      180_000,
      1000,
    ).catch(() => storedStatuses(agentIds));
    const finishedAt = Date.now();

    const longestPause = longestPauseAfter(restartedAt, telephony);
    const logs = api.output() + worker.output();
    const recoveredDecisions = logs.split('"decision.recovered"').length - 1;
    const keptWakeUps = logs.split('"wake.deferred"').length - 1;
    const dialCounts = telephony.dialCounts();
    const duplicated = [...dialCounts.values()].filter((count) => count > 1).length;
    const byStatus = new Map<string, number>();
    for (const status of finished.values()) {
      byStatus.set(String(status), (byStatus.get(String(status)) ?? 0) + 1);
    }
    const lost = [...queued.keys()].filter((callId) => !finished.get(callId)).length;
    const peak = Math.max(...telephony.peakLive.values());
    const day = dayKey(Date.now(), 'UTC');
    const attemptCounts = await Promise.all(
      agentIds.map((agentId) =>
        reader.hget(keys.forAgent(agentId).dailyAttempts(day), CALLER_A).then(Number),
      ),
    );
    const statusesWhileDown = new Map<string, Set<string>>();
    for (const [name, answer] of seenWhileDown) {
      statusesWhileDown.set(
        name,
        (statusesWhileDown.get(name) ?? new Set()).add(`${answer.status}`),
      );
    }
    const slowest = Math.max(...seenWhileDown.map(([, answer]) => answer.ms));

    console.log(
      [
        `calls queued: ${CALLS} across ${AGENTS} agents (max_concurrent_calls ${MAX_CONCURRENT}, AOF appendfsync always)`,
        `dials before SIGKILL: ${dialsAtKill}; dials while down: ${dialsWhileDown}; Redis down ${DOWN_MS} ms`,
        `requests while down: ${seenWhileDown.length}, slowest answer ${slowest} ms; statuses seen:`,
        ...[...statusesWhileDown].map(([name, seen]) => `  ${name}: ${[...seen].join(', ')}`),
        `processes alive while down: ${aliveWhileDown}; after: api ${api.child.exitCode === null}, worker ${worker.child.exitCode === null}`,
        `pacing resumed ${(resumedAfterMs / 1000).toFixed(2)} s after Redis answered again`,
        `all calls ended ${((finishedAt - restartedAt) / 1000).toFixed(1)} s after the restart; ` +
          `longest pause of one agent's dials after it: ${(longestPause / 1000).toFixed(2)} s`,
        `calls found after restart: ${finished.size}; lost: ${lost}; by status: ${JSON.stringify(Object.fromEntries(byStatus))}`,
        `dials: ${telephony.telephony.dials.length} for ${dialCounts.size} calls; calls dialed twice or more: ${duplicated}`,
        `peak live calls of one agent at the telephony side: ${peak} (cap ${MAX_CONCURRENT}); daily counts: min ${Math.min(...attemptCounts)}, max ${Math.max(...attemptCounts)} (limit 100)`,
        `decisions whose reply was lost, read back: ${recoveredDecisions}; ` +
          `wake-up jobs kept and added once Redis was back: ${keptWakeUps}`,
        `end events answered: ${JSON.stringify(Object.fromEntries(telephony.eventAnswers))}`,
      ].join('\n'),
    );

    expect(aliveWhileDown).toBe(true);
    expect(api.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
    for (const [name, answer] of seenWhileDown) {
      expect({ name, status: answer.status }).toEqual({ name, status: 503 });
      expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
      const body = JSON.parse(answer.text) as Record<string, unknown>;
      if (!name.startsWith('GET /health')) {
        expect(Object.keys(body).sort()).toEqual(['details', 'error', 'message', 'statusCode']);
      }
      expect(answer.text).not.toMatch(/\bat .+:\d+|stack|ECONNREFUSED|ioredis/i);
    }
    expect(longestPause).toBeLessThan(LONGEST_PAUSE_MS);
    expect(finished.size).toBe(CALLS);
    expect(lost).toBe(0);
    expect(byStatus.get('completed')).toBe(CALLS);
    expect(duplicated).toBe(0);
    expect(dialCounts.size).toBe(CALLS);
    expect(peak).toBeLessThanOrEqual(MAX_CONCURRENT);
    expect(attemptCounts.every((count) => count === CALLS_PER_AGENT)).toBe(true);
  });
});

/**
 * The longest time any agent went without a dial after `fromMs`, counted from `fromMs` itself to
 * its first dial, and between its dials until its last.
 */
function longestPauseAfter(fromMs: number, telephony: AnsweringTelephony): number {
  const lastDialOf = new Map<string, number>();
  let longest = 0;
  for (const dial of telephony.telephony.dials) {
    if (dial.receivedAt < fromMs) {
      continue;
    }
    const previous = lastDialOf.get(dial.body.agent_id) ?? fromMs;
    longest = Math.max(longest, dial.receivedAt - previous);
    lastDialOf.set(dial.body.agent_id, dial.receivedAt);
  }

  return longest;
}
