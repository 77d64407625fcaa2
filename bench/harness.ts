import { NestExpressApplication } from '@nestjs/platform-express';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app';
import { CallsService } from '../src/calls/calls.service';
import { CallRequestDto } from '../src/calls/dto/call-request.dto';
import { validateAs } from '../src/common/validation';
import { ConfigurationDto } from '../src/configuration/dto/configuration.dto';
import { ConfigurationService } from '../src/configuration/configuration.service';
import { DIALER_DRIVER, DialerDriver } from '../src/dialer/dialer-driver';
import { readEnvironment } from '../src/environment/environment';
import { EmbeddedRedis } from '../src/redis/embedded-redis';
import { WakeRequests } from '../src/pacing/wake-requests';

/** The private Redis of one benchmark run, with a connection of the bench's own. */
export interface BenchRedis {
  server: EmbeddedRedis;
  client: Redis;
}

/** One Outpace app in process, plus hooks into it. */
export interface BenchApp {
  app: NestExpressApplication;
  token: string;
  calls: CallsService;
  /** Called with the call id each time the dialer is handed a dial. */
  onDial: (listener: (callId: string) => void) => void;
  close: () => Promise<void>;
}

export async function startRedis(): Promise<BenchRedis> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'outpace-bench-redis-'));
  const server = await EmbeddedRedis.start({ dataDirectory, appendOnly: false });
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  await client.config('SET', 'maxclients', '10000');

  return { server, client };
}

/** Connection options for BullMQ objects that open (and close) connections of their own. */
export function connectionOptions(redis: BenchRedis) {
  return { host: '127.0.0.1', port: redis.server.port, maxRetriesPerRequest: null };
}

export async function startApp(redis: BenchRedis): Promise<BenchApp> {
  const token = randomBytes(24).toString('base64url');
  const environment = readEnvironment({
    REDIS_URL: redis.server.url,
    REDIS_KEY_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
    API_TOKENS: token,
    DIALER_DRIVER: 'simulated',
    SIMULATED_CALL_SECONDS: '0',
    LOG_LEVEL: 'error',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'outpace-bench-data-')),
  });
  const app = await createApp(environment, [token]);
  app.useLogger(['error']);
  await app.init();

  return {
    app,
    token,
    calls: app.get(CallsService),
    onDial: (listener) => hookDials(app.get<DialerDriver>(DIALER_DRIVER), listener),
    close: () => app.close(),
  };
}

/** Wraps the driver instance's `dial`, so that every dial the placer hands over is seen. */
function hookDials(driver: DialerDriver, listener: (callId: string) => void): void {
  const dial = driver.dial.bind(driver);
  driver.dial = (request) => {
    listener(request.call_id);

    return dial(request);
  };
}

export async function configure(app: BenchApp, body: ReturnType<typeof configurationBody>) {
  const dto = await validateAs(ConfigurationDto, body);
  await app.app.get(ConfigurationService).replace(body.agent_id, dto);
}

/** Stops or resumes every wake-up of the app, so that work can be queued and then released. */
export function wakeQueue(app: BenchApp) {
  return app.app.get(WakeRequests).queue;
}

/** Window fields: `HH:MM:SS` in UTC. */
export interface WindowTimes {
  start: string;
  end: string;
}

export const ALWAYS_OPEN: WindowTimes = { start: '00:00', end: '24:00' };

/** A one-minute window twelve hours away: closed for the whole run. */
export function closedWindow(now = Date.now()): WindowTimes {
  const start = now + 12 * 3600_000;

  return { start: clockOf(start), end: clockOf(start + 60_000) };
}

/** `HH:MM:SS` of an instant, in UTC. */
export function clockOf(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(11, 19);
}

export interface ScheduleRules {
  window: WindowTimes;
  intervalSeconds: number;
}

/** A configuration whose limits never bind but for the window and the interval given. */
export function configurationBody(agentId: string, rules: ScheduleRules) {
  return {
    agent_id: agentId,
    phone_numbers: [{ phone_number: '+12125550100', is_default: true, daily_limit: 1_000_000 }],
    schedules: [
      {
        name: 'main',
        time_windows: [
          {
            start_time: rules.window.start,
            end_time: rules.window.end,
            days_of_week: [1, 2, 3, 4, 5, 6, 7],
            timezone: 'UTC',
          },
        ],
        max_concurrent_calls: 1000,
        call_interval_seconds: rules.intervalSeconds,
        respect_dnc: false,
        respect_timezone: false,
      },
    ],
  };
}

/** A call request as the dialer services send it; also the payload of the BullMQ baselines. */
export function callRequest(index: number) {
  return {
    to_number: `+1212555${String(index % 10_000).padStart(4, '0')}`,
    context: { lead: `lead-${index}`, campaign: 'bench' },
    contact_timezone: 'America/New_York',
  };
}

/** A call request validated as the single-call route would, for `CallsService.enqueue`. */
export function singleCall(index: number): Promise<CallRequestDto> {
  return validateAs(CallRequestDto, callRequest(index));
}

/** Runs `task` over `items` with at most `width` running at once. */
export async function inParallel<T>(items: T[], width: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      await task(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

/** Splits `count` items into chunks of at most `size`, as [start, end) ranges. */
export function chunks(count: number, size: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < count; start += size) {
    ranges.push([start, Math.min(count, start + size)]);
  }

  return ranges;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms`);
    }
    await sleep(20);
  }
}

/** Connections the private Redis holds now, the bench's own excluded. */
export async function connectionCount(redis: BenchRedis): Promise<number> {
  const list = (await redis.client.client('LIST')) as string;

  return list.trim().split('\n').length - 1;
}

export async function redisInfoNumber(redis: BenchRedis, section: string, field: string) {
  const info = (await redis.client.info(section)) as string;
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);

  return Number(match?.[1] ?? NaN);
}

export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);

  return sorted[Math.max(0, index)];
}
