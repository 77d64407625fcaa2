import { randomUUID } from 'node:crypto';
import {
  ALWAYS_OPEN,
  BenchApp,
  configure,
  configurationBody,
  percentile,
  singleCall,
  sleep,
  waitFor,
} from './harness';
import { Figure, ms } from './report';

/** Enqueue-to-dial time of single calls to an idle agent, one at a time. */
export async function benchLatency(app: BenchApp, samples: number): Promise<Figure[]> {
  const agentId = randomUUID();
  await configure(app, configurationBody(agentId, { window: ALWAYS_OPEN, intervalSeconds: 0 }));
  const dialedAt = new Map<string, number>();
  app.onDial((callId) => dialedAt.set(callId, performance.now()));
  const measured: number[] = [];
  const recorded: number[] = [];

  for (let index = 0; index < samples; index++) {
    const started = performance.now();
    const { call } = await app.calls.enqueue(agentId, await singleCall(index));
    await waitFor(() => dialedAt.has(call.call_id), 5000);
    measured.push((dialedAt.get(call.call_id) as number) - started);
    const stored = await app.calls.get(call.call_id);
    recorded.push(Date.parse(stored.dialed_at as string) - Date.parse(stored.created_at));
    await sleep(5);
  }

  return [
    latencyRow('enqueue-to-dial p50', measured, recorded, 0.5, null),
    latencyRow('enqueue-to-dial p99', measured, recorded, 0.99, 50),
  ];
}

function latencyRow(
  figure: string,
  measured: number[],
  recorded: number[],
  fraction: number,
  targetMs: number | null,
): Figure {
  const value = percentile(measured, fraction);

  return {
    figure,
    outpace: `${ms(value)} (dialed_at - created_at: ${ms(percentile(recorded, fraction))})`,
    baseline: '-',
    ratio: '-',
    target: targetMs === null ? '-' : `<= ${targetMs} ms`,
    met: targetMs === null ? null : value <= targetMs,
  };
}
