/**
 * A minute with Outpace: against a running service (`SIMULATED_CALL_SECONDS=1-3 npm start`),
 * posts a sample configuration, queues 300 calls and redraws, once a second for 30 s, what the
 * pacing does with them.
 *
 *   npm run demo [-- <url> <token>]      (or DEMO_URL / DEMO_TOKEN; defaults: port 3000 and the
 *                                          token the service kept in ./data/api-token)
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

const CALLS = 300;
const SECONDS = 30;
const MAX_CONCURRENT_CALLS = 5;
const CALLER_NUMBERS = [
  { phone_number: '+12125550100', daily_limit: 40, is_default: true },
  { phone_number: '+12125550101', daily_limit: 25, is_default: false },
];

interface Readout {
  total_calls_today: number;
  calls_remaining_today: number;
  can_call_now: boolean;
  next_available_time: string | null;
}

interface CallView {
  status: string;
  from_number: string | null;
  attempts: number;
}

class Service {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    }

    return (await response.json()) as T;
  }
}

async function main(): Promise<void> {
  const url = (process.argv[2] ?? process.env.DEMO_URL ?? 'http://127.0.0.1:3000').replace(
    /\/$/,
    '',
  );
  const service = new Service(url, process.argv[3] ?? process.env.DEMO_TOKEN ?? savedToken());
  const agentId = randomUUID();

  await service.send(
    'POST',
    `/outbound/agents/${agentId}/outbound-config`,
    sampleConfiguration(agentId),
  );
  const calls = Array.from({ length: CALLS }, (_, index) => ({
    to_number: `+1212555${String(2000 + index).padStart(4, '0')}`,
  }));
  await service.send('POST', `/outbound/agents/${agentId}/calls/batch`, { calls });

  let previousDials = 0;
  for (let second = 1; second <= SECONDS; second++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [readout, listed] = await Promise.all([
      service.send<Readout>('GET', `/outbound/agents/${agentId}/outbound-config`),
      service.send<{ calls: CallView[] }>('GET', `/outbound/agents/${agentId}/calls?limit=1000`),
    ]);
    const dials = readout.total_calls_today;
    draw(url, agentId, second, dials - previousDials, readout, listed.calls);
    previousDials = dials;
  }
}

/** Two numbers with small daily limits, one schedule open from a minute ago, in UTC. */
function sampleConfiguration(agentId: string) {
  const now = new Date();
  const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
  const crossesMidnight = minutes < 1 || minutes + 10 >= 24 * 60;
  const window = crossesMidnight
    ? { start_time: '00:00', end_time: '24:00' }
    : { start_time: clock(minutes - 1), end_time: clock(minutes + 10) };

  return {
    agent_id: agentId,
    phone_numbers: CALLER_NUMBERS,
    schedules: [
      {
        id: 'demo',
        name: 'Demo',
        max_concurrent_calls: MAX_CONCURRENT_CALLS,
        call_interval_seconds: 0.2,
        respect_timezone: false,
        time_windows: [{ ...window, days_of_week: [1, 2, 3, 4, 5, 6, 7], timezone: 'UTC' }],
      },
    ],
  };
}

function draw(
  url: string,
  agentId: string,
  second: number,
  dialsThisSecond: number,
  readout: Readout,
  calls: CallView[],
): void {
  const count = (status: string) => calls.filter((call) => call.status === status).length;
  const live = count('dialing') + count('in_progress');
  const lines = [
    `Outpace demo  ${url}  agent ${agentId}  ${second}/${SECONDS} s`,
    '',
    `dials this second   ${dialsThisSecond}`,
    `live calls          ${bar(live, MAX_CONCURRENT_CALLS)} ${live}/${MAX_CONCURRENT_CALLS}`,
    `queued / ended      ${count('queued')} / ${calls.length - count('queued') - live}`,
    '',
    'calls left today per number',
    ...CALLER_NUMBERS.map(({ phone_number, daily_limit }) => {
      const used = calls
        .filter((call) => call.from_number === phone_number)
        .reduce((sum, call) => sum + call.attempts, 0);

      return `  ${phone_number}  ${Math.max(0, daily_limit - used)} of ${daily_limit}`;
    }),
    '',
    readout.can_call_now
      ? 'window              open now'
      : `next window         ${readout.next_available_time ?? 'none'}`,
  ];
  process.stdout.write(`\x1b[2J\x1b[H${lines.join('\n')}\n`);
}

function bar(value: number, of: number): string {
  return `[${'#'.repeat(Math.min(value, of))}${'.'.repeat(Math.max(0, of - value))}]`;
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function savedToken(): string {
  const file = 'data/api-token';
  if (!existsSync(file)) {
    throw new Error(`No token: pass one, set DEMO_TOKEN, or start the service here once (${file})`);
  }

  return readFileSync(file, 'utf8').trim();
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
