import { NestExpressApplication } from '@nestjs/platform-express';
import { Cluster } from 'ioredis';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import crypto from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app';
import { readEnvironment } from '../../src/environment/environment';
import { REDIS } from '../../src/redis/redis.module';
import { RedisClient } from '../../src/redis/redis-connection';
import { RedisKeys } from '../../src/redis/redis-keys';
import { startTestApp, TestApp } from '../support/app';
import { CALLER_A, CALLER_B, callee, configurationBody } from '../support/configurations';
import { LogCapture } from '../support/log-capture';
import { eventually } from '../support/poll';
import { testRedisVariables, uniquePrefix } from '../support/redis';
import { FakeTelephony } from '../support/telephony';

interface Endpoint {
  method: string;
  /** Express path pattern, `:name` for a parameter. */
  path: string;
}

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  rawPath?: string | string[];
}

/**
 * Every endpoint the running app answers, read from its Express router: Nest's routes, and the
 * paths where whole apps or static files are mounted (Bull Board, the docs' assets). The
 * catch-all routes are Nest's bindings of middleware to every path (request logging), not
 * endpoints, and are left out.
 */
function endpointsOf(app: NestExpressApplication): Endpoint[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  const endpoints = new Map<string, Endpoint>();
  const add = (method: string, path: string) =>
    endpoints.set(`${method} ${path}`, { method, path });

  for (const layer of express.router.stack) {
    if (layer.route && !layer.route.path.includes('{*')) {
      const methods = Object.keys(layer.route.methods).filter((name) => layer.route?.methods[name]);
      methods.forEach((method) => add(method.toUpperCase(), layer.route?.path ?? ''));
    } else if (!layer.route) {
      for (const mount of [layer.rawPath ?? '/'].flat()) {
        if (mount !== '/') {
          add('GET', mount);
        }
      }
    }
  }

  return [...endpoints.values()];
}

/** A concrete URL for a path pattern: every parameter gets a fresh uuid. */
function concrete(path: string): string {
  return path.replace(/:\w+/g, () => randomUUID());
}

/** Every key matching `pattern`, on each master when Redis is a cluster. */
async function keysMatching(redis: RedisClient, pattern: string): Promise<string[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const perNode = await Promise.all(nodes.map((node) => node.keys(pattern)));

  return perNode.flat();
}

const STACK_TRACE = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+|Error: /;

/** The one error shape, exactly, and nothing that looks like an internal error. */
function expectErrorShape(response: request.Response, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toContain('application/json');
  expect(Object.keys(response.body).sort()).toEqual(['details', 'error', 'message', 'statusCode']);
  expect(response.body.statusCode).toBe(status);
  expect(typeof response.body.error).toBe('string');
  expect(typeof response.body.message).toBe('string');
  expect(Array.isArray(response.body.details)).toBe(true);
  expect(response.text).not.toMatch(STACK_TRACE);
  expect(response.text).not.toContain('stack');
}

describe('security: tokens, logs, error bodies and headers', () => {
  const logs = new LogCapture();
  let telephony: FakeTelephony;
  let testApp: TestApp;
  let server: ReturnType<NestExpressApplication['getHttpServer']>;

  beforeAll(async () => {
    telephony = await FakeTelephony.start();
    testApp = await startTestApp(
      {
        DIALER_DRIVER: 'http',
        DIALER_URL: telephony.url,
        DIALER_TOKEN: 'dialer-secret-token-0002',
        LOG_LEVEL: 'info',
      },
      { logDestination: logs },
    );
    server = testApp.app.getHttpServer();
  });

  afterAll(async () => {
    await testApp.close();
    await telephony.stop();
  });

  it('refuses a missing and a wrong token with 401 and one body on every route but /health', async () => {
    const endpoints = endpointsOf(testApp.app);
    const wrongSameLength = randomBytes(24).toString('base64url');
    const refused: string[] = [];

    expect(wrongSameLength).toHaveLength(testApp.token.length);
    for (const mount of ['GET /admin/queues', 'GET /metrics', 'GET /docs', 'GET /docs-json']) {
      expect(endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`)).toContain(mount);
    }
    expect(endpoints.filter((endpoint) => endpoint.path.startsWith('/outbound'))).toHaveLength(13);

    for (const { method, path } of endpoints) {
      const url = concrete(path);
      const send = () => request(server)[method.toLowerCase() as 'get'](url);
      if (path === '/health') {
        expect((await send()).status).toBe(200);
        continue;
      }
      const missing = await send();
      const wrong = await send().set('Authorization', `Bearer ${wrongSameLength}`);
      const wrongShort = await send().set('Authorization', 'Bearer x');
      const wrongBasic = await send().auth('admin', wrongSameLength);

      for (const answer of [missing, wrong, wrongShort, wrongBasic]) {
        expectErrorShape(answer, 401);
        expect(answer.body).toEqual(missing.body);
      }
      refused.push(`${method} ${path}`);
    }

    console.log(`routes found: ${endpoints.length}; refused without a valid token:`, refused);
    expect(refused).toHaveLength(endpoints.length - 1);
  });

  it('compares every token as two SHA-256 digests of equal length with timingSafeEqual', async () => {
    const compare = jest.spyOn(crypto, 'timingSafeEqual');
    const path = `/outbound/agents/${randomUUID()}/outbound-config`;
    try {
      for (const candidate of ['x', 'y'.repeat(testApp.token.length), 'z'.repeat(500)]) {
        compare.mockClear();
        const answer = await request(server).get(path).set('Authorization', `Bearer ${candidate}`);

        expect(answer.status).toBe(401);
        expect(compare).toHaveBeenCalled();
        for (const [known, given] of compare.mock.calls) {
          expect(Buffer.isBuffer(known) && Buffer.isBuffer(given)).toBe(true);
          expect([(known as Buffer).length, (given as Buffer).length]).toEqual([32, 32]);
        }
      }
    } finally {
      compare.mockRestore();
    }
  });

  it('logs no token and no full phone number while the API is used', async () => {
    const agentId = randomUUID();
    const to = callee(77);
    const listed = callee(78);
    const api = testApp.api();
    await api
      .post(`/outbound/agents/${agentId}/outbound-config`)
      .send({
        ...configurationBody(agentId, { respect_dnc: true }),
        phone_numbers: [
          { phone_number: CALLER_A, is_default: true },
          { phone_number: CALLER_B, display_name: 'Second line' },
        ],
      })
      .expect(200);
    const enqueued = await api.post(`/outbound/agents/${agentId}/calls`).send({ to_number: to });
    expect(enqueued.status).toBe(202);
    await telephony.waitForDials(1);
    await eventually(async () => logs.events('call.dialed')[0]);
    await api.put(`/outbound/dnc/${encodeURIComponent(listed)}`).expect(200);
    await api.get(`/outbound/dnc/${listed}`).expect(200);
    await api.delete(`/outbound/dnc/${encodeURIComponent(listed)}`).expect(204);
    await api.post('/outbound/dnc').send({ phone_numbers: [listed, 'not a number'] });
    await api.post(`/outbound/agents/${agentId}/calls`).send({ to_number: to, priority: 'x' });
    await request(server).get(`/outbound/dnc/${listed}`).set('Authorization', 'Bearer guessed-1');
    await api.get(`/outbound/agents/${agentId}/calls?cursor=${encodeURIComponent(to)}`);

    const everything = logs.lines.join('\n');
    const secrets = [testApp.token, 'dialer-secret-token-0002', 'guessed-1'];
    const numbers = [to, listed, CALLER_A, CALLER_B].map((number) => number.slice(1));

    console.log(`log lines captured: ${logs.lines.length}; searched for`, secrets.length, 'tokens');
    expect(logs.lines.length).toBeGreaterThan(5);
    expect(everything).toContain('call.dialed');
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
    }
    for (const digits of numbers) {
      expect(everything).not.toContain(digits);
    }
  });

  it('answers every error in the one shape, without a stack trace', async () => {
    const api = testApp.api();
    const agentId = randomUUID();
    const answers: [string, request.Response, number][] = [];
    const record = (label: string, response: request.Response, status: number) =>
      answers.push([label, response, status]);

    record('400 invalid', await api.post(`/outbound/agents/${agentId}/calls`).send({}), 400);
    record('400 bad path', await api.get('/outbound/agents/not-a-uuid/outbound-config'), 400);
    record('400 bad uri', await api.get('/outbound/calls/%E0%A4%A'), 400);
    record(
      '400 not json',
      await api.post('/outbound/dnc').set('Content-Type', 'application/json').send('{"a":'),
      400,
    );
    record('401', await request(server).get(`/outbound/calls/${randomUUID()}`), 401);
    record('404 unknown', await api.get(`/outbound/agents/${agentId}/outbound-config`), 404);
    record('404 no route', await api.get('/no/such/route'), 404);
    record('404 method', await request(server).patch('/outbound/dnc').send({}), 404);
    record(
      '413',
      await api
        .post('/outbound/dnc')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ phone_numbers: ['+12125550100'.padEnd(13 * 1024 * 1024, ' ')] })),
      413,
    );
    record(
      '415 encoding',
      await api
        .post('/outbound/dnc')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'compress')
        .send('{}'),
      415,
    );
    record(
      '415 charset',
      await api
        .post('/outbound/dnc')
        .set('Content-Type', 'application/json; charset=klingon')
        .send('{}'),
      415,
    );
    record('409', await conflict(agentId), 409);

    for (const [label, response, status] of answers) {
      try {
        expectErrorShape(response, status);
      } catch (error) {
        throw new Error(`${label}: ${String(error)}\n${response.text.slice(0, 500)}`);
      }
    }
    console.log(
      'error bodies checked:',
      answers.map(([label, response]) => `${label} -> ${response.status}`),
    );
  });

  /** A call that has been dialed and ended: cancelling it conflicts with its state. */
  async function conflict(agentId: string): Promise<request.Response> {
    const api = testApp.api();
    await api
      .post(`/outbound/agents/${agentId}/outbound-config`)
      .send(configurationBody(agentId))
      .expect(200);
    const dialsBefore = telephony.dials.length;
    const call = await api.post(`/outbound/agents/${agentId}/calls`).send({ to_number: callee(9) });
    await telephony.waitForDials(dialsBefore + 1);
    await api
      .post(`/outbound/calls/${call.body.call_id}/events`)
      .send({ status: 'completed', duration_seconds: 3 })
      .expect(200);

    return api.delete(`/outbound/calls/${call.body.call_id}`);
  }

  it('sets helmet headers, with a policy that allows nothing on API answers', async () => {
    const answers = {
      ok: await testApp.api().get(`/outbound/dnc/${encodeURIComponent(callee(1))}`),
      unauthorised: await request(server).get('/metrics'),
      health: await request(server).get('/health'),
    };

    for (const response of Object.values(answers)) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toBe(
        "default-src 'none';frame-ancestors 'none'",
      );
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
    const docs = await testApp.api().get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    expect(docs.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    console.log('API policy:', answers.ok.headers['content-security-policy']);
    console.log('page policy:', docs.headers['content-security-policy']);
  });
});

describe('security: the per-token rate limit', () => {
  const limit = 5;
  const tokens = [randomBytes(24).toString('base64url'), randomBytes(24).toString('base64url')];
  const apps: NestExpressApplication[] = [];

  beforeAll(async () => {
    // Two processes of the service on one Redis and one key prefix, accepting the same tokens.
    const environment = readEnvironment({
      ...testRedisVariables(),
      REDIS_KEY_PREFIX: uniquePrefix('rate'),
      API_TOKENS: tokens.join(','),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'outpace-test-data-')),
      LOG_LEVEL: 'error',
      ROLE: 'api',
      RATE_LIMIT_PER_MINUTE: String(limit),
    });
    for (let index = 0; index < 2; index++) {
      const app = await createApp(environment, tokens);
      await app.init();
      apps.push(app);
    }
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  const path = () => `/outbound/calls/${randomUUID()}`;
  const asToken = (index: number, processIndex: number) =>
    request(apps[processIndex].getHttpServer())
      .get(path())
      .set('Authorization', `Bearer ${tokens[index]}`);

  it('answers 429 with Retry-After past the limit, counted across processes, per token', async () => {
    const statuses: number[] = [];
    for (let sent = 0; sent < limit; sent++) {
      statuses.push((await asToken(0, sent % 2)).status);
    }
    const refused = await asToken(0, 0);
    const refusedElsewhere = await asToken(0, 1);
    const otherToken = await asToken(1, 1);
    const wrongToken = await request(apps[0].getHttpServer())
      .get(path())
      .set('Authorization', 'Bearer not-a-token');
    const health = await request(apps[0].getHttpServer())
      .get('/health')
      .set('Authorization', `Bearer ${tokens[0]}`);

    console.log(
      `limit ${limit}/min: statuses within it ${statuses.join(',')}; then ${refused.status} ` +
        `(Retry-After ${refused.headers['retry-after']} s) on one process and ` +
        `${refusedElsewhere.status} on the other; another token ${otherToken.status}; ` +
        `a wrong token ${wrongToken.status}; /health ${health.status}`,
    );
    expect(statuses).toEqual(Array(limit).fill(404));
    for (const response of [refused, refusedElsewhere]) {
      expectErrorShape(response, 429);
      const retryAfter = Number(response.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    }
    expect(otherToken.status).toBe(404);
    expect(wrongToken.status).toBe(401);
    expect(health.status).toBe(200);
  });

  it('keeps its counters in Redis under a digest of the token, never the token', async () => {
    const redis = apps[0].get<RedisClient>(REDIS);
    const { prefix } = apps[0].get(RedisKeys);
    const digest = createHash('sha256').update(tokens[0]).digest('hex');
    const keys = await keysMatching(redis, `${prefix}:*`);
    const counters = keys.filter((key) => key.includes('rate-limit'));

    console.log('rate limit keys:', counters);
    expect(counters).toContain(`${prefix}:rate-limit:${digest}`);
    expect(keys.some((key) => tokens.some((token) => key.includes(token)))).toBe(false);
    const remainingMs = await redis.pttl(`${prefix}:rate-limit:${digest}`);
    expect(remainingMs).toBeGreaterThan(0);
    expect(remainingMs).toBeLessThanOrEqual(60_000);
  });
});
