import { randomUUID } from 'node:crypto';
import {
  ALWAYS_OPEN,
  BenchApp,
  callRequest,
  clockOf,
  configure,
  configurationBody,
  inParallel,
  percentile,
  singleCall,
  waitFor,
} from './harness';
import { Figure, ms } from './report';

const INTERVAL_SECONDS = 0.1;
const INTERVAL_AGENTS = 10;

/** Gap between consecutive dials minus call_interval_seconds, over 10 agents. */
export async function benchInterval(app: BenchApp, callsPerAgent: number): Promise<Figure[]> {
  const agents = Array.from({ length: INTERVAL_AGENTS }, () => randomUUID());
  let dialed = 0;
  app.onDial(() => (dialed += 1));
  await inParallel(agents, 10, async (agentId) => {
    const rules = { window: ALWAYS_OPEN, intervalSeconds: INTERVAL_SECONDS };
    await configure(app, configurationBody(agentId, rules));
    const calls = Array.from({ length: callsPerAgent }, (_, index) => callRequest(index));
    await app.calls.enqueueBatch(agentId, calls);
  });
  const total = agents.length * callsPerAgent;
  await waitFor(() => dialed >= total, callsPerAgent * INTERVAL_SECONDS * 1000 * 3 + 10_000);
  const errors: number[] = [];
  for (const agentId of agents) {
    const times = await dialTimes(app, agentId);
    for (let index = 1; index < times.length; index++) {
      errors.push(times[index] - times[index - 1] - INTERVAL_SECONDS * 1000);
    }
  }
  const p99 = percentile(errors, 0.99);
  const summary = `p50 ${ms(percentile(errors, 0.5))}, p99 ${ms(p99)}, max ${ms(Math.max(...errors))}`;

  return [
    {
      figure: `interval error (${INTERVAL_SECONDS} s, ${INTERVAL_AGENTS} agents)`,
      outpace: summary,
      baseline: '-',
      ratio: '-',
      target: 'p99 <= 10 ms',
      met: p99 <= 10,
    },
  ];
}

/** Lag of the first dial behind the opening of a window that opens a few seconds ahead. */
export async function benchWindowLag(app: BenchApp, agentCount: number): Promise<Figure[]> {
  const firstDial = new Map<string, number>();
  const opening = new Map<string, number>();
  const agentOfCall = new Map<string, string>();
  app.onDial((callId) => {
    const agentId = agentOfCall.get(callId);
    if (agentId && !firstDial.has(agentId)) {
      firstDial.set(agentId, Date.now());
    }
  });
  const base = Math.ceil(Date.now() / 1000) * 1000 + 4000;
  const agents = Array.from({ length: agentCount }, () => randomUUID());
  agents.forEach((agentId, index) => opening.set(agentId, base + (index % 4) * 1000));
  await inParallel(agents, 16, async (agentId) => {
    const opensAt = opening.get(agentId) as number;
    const window = { start: clockOf(opensAt), end: clockOf(opensAt + 3600_000) };
    await configure(app, configurationBody(agentId, { window, intervalSeconds: 0 }));
    const { call } = await app.calls.enqueue(agentId, await singleCall(0));
    agentOfCall.set(call.call_id, agentId);
  });
  await waitFor(() => firstDial.size >= agentCount, 20_000);
  const lags = await Promise.all(
    agents.map(async (agentId) => (await dialTimes(app, agentId))[0] - (opening.get(agentId) ?? 0)),
  );
  const p99 = percentile(lags, 0.99);

  return [
    {
      figure: `window-opening lag (${agentCount} windows)`,
      outpace: `p50 ${ms(percentile(lags, 0.5))}, p99 ${ms(p99)}`,
      baseline: '-',
      ratio: '-',
      target: 'p99 <= 100 ms',
      met: p99 <= 100,
    },
  ];
}

/** `dialed_at` of every dialed call of the agent, in order (ms). */
async function dialTimes(app: BenchApp, agentId: string): Promise<number[]> {
  const page = await app.calls.list(agentId, undefined, 1000);

  return page.calls
    .filter((call) => call.dialed_at !== null)
    .map((call) => Date.parse(call.dialed_at as string))
    .sort((left, right) => left - right);
}
