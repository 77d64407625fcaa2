import { randomUUID } from 'node:crypto';
import {
  BenchApp,
  BenchRedis,
  callRequest,
  closedWindow,
  configure,
  configurationBody,
  inParallel,
  redisInfoNumber,
  sleep,
  waitFor,
  wakeQueue,
} from './harness';
import { Figure } from './report';

const CALLS_PER_AGENT = 3;

/** Redis commands and process CPU while every agent waits on a closed window. */
export async function benchIdle(
  redis: BenchRedis,
  app: BenchApp,
  agentCount: number,
  spanMs: number,
): Promise<Figure[]> {
  const agents = Array.from({ length: agentCount }, () => randomUUID());
  const window = closedWindow();
  await inParallel(agents, 32, async (agentId) => {
    await configure(app, configurationBody(agentId, { window, intervalSeconds: 0 }));
    const calls = Array.from({ length: CALLS_PER_AGENT }, (_, index) => callRequest(index));
    await app.calls.enqueueBatch(agentId, calls);
  });
  await settle(app);

  const commandsBefore = await redisInfoNumber(redis, 'stats', 'total_commands_processed');
  const cpuBefore = process.cpuUsage();
  await sleep(spanMs);
  const cpu = process.cpuUsage(cpuBefore);
  const commandsAfter = await redisInfoNumber(redis, 'stats', 'total_commands_processed');
  /** The two INFO calls of the bench itself are not the service's. */
  const perSecond = ((commandsAfter - commandsBefore - 1) * 1000) / spanMs;
  const cpuPercent = ((cpu.user + cpu.system) / 1000 / spanMs) * 100;

  return [
    {
      figure: `idle Redis commands, ${agentCount} waiting agents, ${spanMs / 1000} s`,
      outpace: `${perSecond.toFixed(1)}/s`,
      baseline: '-',
      ratio: '-',
      target: '<= 100/s',
      met: perSecond <= 100,
    },
    {
      figure: `idle process CPU, same span`,
      outpace: `${cpuPercent.toFixed(2)}% of one core`,
      baseline: '-',
      ratio: '-',
      target: '-',
      met: null,
    },
  ];
}

/** Waits until no wake-up is waiting or running: only delayed ones (the openings) remain. */
async function settle(app: BenchApp): Promise<void> {
  const queue = wakeQueue(app);
  await waitFor(async () => {
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');

    return counts.waiting + counts.active + counts.prioritized === 0;
  }, 120_000);
  await sleep(1000);
}
