import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDispatch, DispatchSize } from './dispatch';
import { benchEnqueue } from './enqueue';
import { BenchApp, BenchRedis, startApp, startRedis } from './harness';
import { benchIdle } from './idle';
import { benchLatency } from './latency';
import { benchMemory } from './memory';
import { benchInterval, benchWindowLag } from './precision';
import { Figure, machine, table } from './report';

interface Sizes {
  enqueueCalls: number;
  dispatch: DispatchSize;
  latencySamples: number;
  intervalCallsPerAgent: number;
  windows: number;
  idleAgents: number;
  idleSpanMs: number;
  memoryCalls: number;
}

const QUICK: Sizes = {
  enqueueCalls: 5_000,
  dispatch: { agents: 200, callsPerAgent: 20 },
  latencySamples: 50,
  intervalCallsPerAgent: 10,
  windows: 8,
  idleAgents: 1000,
  idleSpanMs: 5000,
  memoryCalls: 20_000,
};

const FULL: Sizes = {
  enqueueCalls: 20_000,
  dispatch: { agents: 1000, callsPerAgent: 50 },
  latencySamples: 300,
  intervalCallsPerAgent: 30,
  windows: 40,
  idleAgents: 10_000,
  idleSpanMs: 30_000,
  memoryCalls: 1_000_000,
};

/** Hand-written analysis below this line in BENCHMARKS.md survives each run. */
const NOTES_MARKER = '<!-- notes: kept across runs -->';

/** Each step runs on an emptied Redis with an app of its own, so that none sees another's work. */
async function withApp<T>(redis: BenchRedis, step: (app: BenchApp) => Promise<T>): Promise<T> {
  await redis.client.flushall();
  const app = await startApp(redis);
  try {
    return await step(app);
  } finally {
    await app.close();
  }
}

async function runAll(redis: BenchRedis, sizes: Sizes, only: string[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  const steps: [string, () => Promise<Figure[]>][] = [
    ['enqueue', () => withApp(redis, (app) => benchEnqueue(redis, app, sizes.enqueueCalls))],
    ['dispatch', () => benchDispatch(redis, () => startApp(redis), sizes.dispatch)],
    ['latency', () => withApp(redis, (app) => benchLatency(app, sizes.latencySamples))],
    ['interval', () => withApp(redis, (app) => benchInterval(app, sizes.intervalCallsPerAgent))],
    ['window lag', () => withApp(redis, (app) => benchWindowLag(app, sizes.windows))],
    [
      'idle',
      () => withApp(redis, (app) => benchIdle(redis, app, sizes.idleAgents, sizes.idleSpanMs)),
    ],
    ['memory', () => withApp(redis, (app) => benchMemory(redis, app, sizes.memoryCalls))],
  ];
  for (const [name, step] of steps) {
    if (only.length > 0 && !only.includes(name)) {
      continue;
    }
    const started = Date.now();
    const rows = await step();
    console.log(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(table(rows));
    figures.push(...rows);
  }

  return figures;
}

/** `--memory-calls N`: calls queued for the memory figure (the issue asks for 1,000,000). */
function sizesFrom(argv: string[]): Sizes {
  const sizes = { ...(argv.includes('--quick') ? QUICK : FULL) };
  const memoryFlag = argv.indexOf('--memory-calls');
  if (memoryFlag >= 0) {
    sizes.memoryCalls = Number(argv[memoryFlag + 1]);
  }

  return sizes;
}

/** `--only enqueue,dispatch`: runs the named steps alone, for profiling one figure. */
function onlySteps(argv: string[]): string[] {
  const flag = argv.indexOf('--only');

  return flag >= 0 ? (argv[flag + 1] ?? '').split(',') : [];
}

function keptNotes(file: string): string {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = text.indexOf(NOTES_MARKER);

  return start >= 0 ? text.slice(start) : `${NOTES_MARKER}\n`;
}

function document(command: string, machineLines: string[], figures: Figure[]): string {
  return [
    '# Benchmarks',
    '',
    'Outpace beside plain BullMQ 6, measured in one run against a private `redis-server` by',
    '`bench/run.ts`. Calls use the `simulated` driver ending each call at once',
    '(`SIMULATED_CALL_SECONDS=0`); configurations never bind (1,000 concurrent calls, daily',
    'limits of 1,000,000, DNC and callee time zones off) unless a row says otherwise.',
    '',
    '## Machine',
    '',
    ...machineLines,
    '',
    '## Command',
    '',
    '```',
    command,
    '```',
    '',
    '## Results',
    '',
    table(figures),
    '',
    'Ratios compare figures taken in the same run on the same Redis; absolute rates move with',
    'the load of the machine (other test suites shared these 2 cores).',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const flags = process.argv.slice(2);
  const command = `npm run bench${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}`;
  const redis = await startRedis();
  try {
    const info = (await redis.client.info('server')) as string;
    const version = /^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown';
    const only = onlySteps(flags);
    const figures = await runAll(redis, sizesFrom(flags), only);
    console.log(`\n${table(figures)}`);
    if (only.length === 0) {
      const file = join(__dirname, '..', 'BENCHMARKS.md');
      writeFileSync(file, `${document(command, machine(version), figures)}\n${keptNotes(file)}`);
    } else {
      console.log('BENCHMARKS.md is left as it was: --only ran part of the table.');
    }
  } finally {
    redis.client.disconnect();
    await redis.server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
