import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/app';
import { callee, configurationBody } from '../support/configurations';
import { eventually } from '../support/poll';
import { redisVariablesOf } from '../support/redis';
import { startServiceProcess, ServiceProcess } from '../support/service-process';
import { FakeTelephony } from '../support/telephony';

const AGENTS = 40;
const CALLS_PER_AGENT = 6;
const MAX_CONCURRENT = 2;
const INTERVAL_MS = 150;
/** How long the fake telephony side keeps each call before its end: long enough for the cap to bind. */
const CALL_MS = 400;

interface AgentTimeline {
  /** Per call: when its dial arrived and when its end was reported (local clock, ms). */
  spans: { callId: string; dialedAt: number; endedAt: number | null }[];
}

describe('pacing across three worker processes on one Redis', () => {
  let telephony: FakeTelephony;
  let api: TestApp;
  let workers: ServiceProcess[];
  const timelines = new Map<string, AgentTimeline>();

  beforeAll(async () => {
    telephony = await FakeTelephony.start();
    api = await startTestApp({ ROLE: 'api', DIALER_DRIVER: 'http', DIALER_URL: telephony.url });
    const shared = {
      ROLE: 'worker',
      ...redisVariablesOf(api.environment),
      REDIS_KEY_PREFIX: api.environment.redisKeyPrefix,
      API_TOKENS: api.token,
      DIALER_DRIVER: 'http',
      DIALER_URL: telephony.url,
      DATA_DIR: api.environment.dataDirectory,
    };
    workers = await Promise.all([1, 2, 3].map(() => startServiceProcess(shared)));
    telephony.responder = (dial) => {
      const span = { callId: dial.call_id, dialedAt: Date.now(), endedAt: null as number | null };
      timelines.get(dial.agent_id)?.spans.push(span);
      setTimeout(() => {
        // A supertest request is sent only once awaited: `then` sends it.
        void api
          .api()
          .post(`/outbound/calls/${dial.call_id}/events`)
          .send({ status: 'completed' })
          .then(() => (span.endedAt = Date.now()));
      }, CALL_MS);

      return 202;
    };
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await api.close();
    await telephony.stop();
  });

  it('holds the cap and the interval for every schedule and dials each call once', async () => {
    const agents = Array.from({ length: AGENTS }, () => randomUUID());
    for (const agentId of agents) {
      timelines.set(agentId, { spans: [] });
      const body = configurationBody(agentId, {
        max_concurrent_calls: MAX_CONCURRENT,
        call_interval_seconds: INTERVAL_MS / 1000,
        respect_dnc: false,
      });
      await api.api().post(`/outbound/agents/${agentId}/outbound-config`).send(body).expect(200);
    }
    await Promise.all(
      agents.map((agentId, agentIndex) =>
        api
          .api()
          .post(`/outbound/agents/${agentId}/calls/batch`)
          .send({
            calls: Array.from({ length: CALLS_PER_AGENT }, (_, index) => ({
              to_number: callee(agentIndex * CALLS_PER_AGENT + index),
            })),
          })
          .expect(202),
      ),
    );

    await telephony.waitForDials(AGENTS * CALLS_PER_AGENT, 30_000);
    await eventually(async () => (allEnded(timelines) ? true : undefined));

    const callIds = telephony.dials.map((dial) => dial.body.call_id);
    expect(new Set(callIds).size).toBe(AGENTS * CALLS_PER_AGENT);
    const peaks: number[] = [];
    const gaps: number[] = [];
    for (const agentId of agents) {
      expect(timelines.get(agentId)!.spans).toHaveLength(CALLS_PER_AGENT);
      const calls = await recordedSpans(api, agentId);
      peaks.push(peakConcurrency(calls));
      gaps.push(...dialGaps(calls));
    }
    expect(Math.max(...peaks)).toBe(MAX_CONCURRENT);
    expect(Math.min(...peaks)).toBeGreaterThan(0);
    console.log(
      `3 workers, ${AGENTS} agents: ${callIds.length} dials, smallest dialed_at gap ` +
        `${Math.min(...gaps)} ms (interval ${INTERVAL_MS} ms)`,
    );
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL_MS);
  }, 60_000);
});

function allEnded(timelines: Map<string, AgentTimeline>): boolean {
  return [...timelines.values()].every((timeline) =>
    timeline.spans.every((span) => span.endedAt !== null),
  );
}

/** Most calls of one agent live at once, from its dial to its end, both by Redis's clock. */
function peakConcurrency(spans: Span[]): number {
  const edges = spans.flatMap((span) => [
    { at: span.dialedAt, change: 1 },
    { at: span.endedAt, change: -1 },
  ]);
  edges.sort((left, right) => left.at - right.at || left.change - right.change);
  let live = 0;
  let peak = 0;
  for (const edge of edges) {
    live += edge.change;
    peak = Math.max(peak, live);
  }

  return peak;
}

interface Span {
  dialedAt: number;
  endedAt: number;
}

/** Each call's dial and end instants as the engine recorded them (Redis clock). */
async function recordedSpans(api: TestApp, agentId: string): Promise<Span[]> {
  const page = await api.api().get(`/outbound/agents/${agentId}/calls?limit=100`);

  return (page.body.calls as { dialed_at: string; ended_at: string }[]).map((call) => ({
    dialedAt: Date.parse(call.dialed_at),
    endedAt: Date.parse(call.ended_at),
  }));
}

/** Gaps between consecutive dials of one agent. */
function dialGaps(spans: Span[]): number[] {
  const instants = spans.map((span) => span.dialedAt).sort((left, right) => left - right);

  return instants.slice(1).map((instant, index) => instant - instants[index]);
}
