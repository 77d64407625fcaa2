import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { startTestApp, TestApp } from '../support/app';
import { configurationBody } from '../support/configurations';
import {
  bodyText,
  hostileValue,
  mutated,
  nestedJson,
  validCall,
  validConfiguration,
  validDncList,
  validEvent,
} from './hostile-input';

interface Answer {
  status: number;
  text: string;
  ms: number;
}

/** A request as the fuzzer builds it; `body` is sent as `application/json`. */
interface Probe {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: string;
}

/** Cases run and statuses seen, per endpoint. */
class Tally {
  readonly byEndpoint = new Map<string, Map<number, number>>();

  count(endpoint: string, status: number): void {
    const statuses = this.byEndpoint.get(endpoint) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.byEndpoint.set(endpoint, statuses);
  }

  cases(endpoint?: string): number {
    const endpoints = endpoint ? [endpoint] : [...this.byEndpoint.keys()];

    return endpoints.reduce(
      (total, name) =>
        total + [...(this.byEndpoint.get(name)?.values() ?? [])].reduce((sum, n) => sum + n, 0),
      0,
    );
  }

  serverErrors(): number {
    let total = 0;
    for (const statuses of this.byEndpoint.values()) {
      statuses.forEach((count, status) => (total += status >= 500 ? count : 0));
    }

    return total;
  }

  report(): string {
    return [...this.byEndpoint.entries()]
      .map(([endpoint, statuses]) => {
        const seen = [...statuses.entries()].sort(([a], [b]) => a - b);

        return `${endpoint}: ${this.cases(endpoint)} cases; ${seen.map(([s, n]) => `${s} x${n}`).join(', ')}`;
      })
      .join('\n');
  }
}

const STACK_TRACE = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+/;

/** The one error shape, exactly, and nothing that looks like a stack trace. */
function errorShapeProblem(answer: Answer): string | null {
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return 'the body is not JSON';
  }
  const shape = body as Record<string, unknown>;
  const details = shape.details as { field?: unknown; problem?: unknown }[];
  const wellFormed =
    Object.keys(shape).sort().join() === 'details,error,message,statusCode' &&
    shape.statusCode === answer.status &&
    typeof shape.error === 'string' &&
    typeof shape.message === 'string' &&
    Array.isArray(details) &&
    details.every(
      (detail) => typeof detail.field === 'string' && typeof detail.problem === 'string',
    );
  if (!wellFormed) {
    return 'not the error shape';
  }

  return STACK_TRACE.test(answer.text) ? 'carries a stack trace' : null;
}

describe('fuzzing every endpoint that takes input', () => {
  const tally = new Tally();
  let testApp: TestApp;
  let baseUrl: string;
  const agentId = randomUUID();
  const callIds: string[] = [];

  beforeAll(async () => {
    // An API process alone: calls are queued but nothing dials them. No rate limit: the fuzzer
    // sends thousands of requests a minute with one token.
    testApp = await startTestApp({ ROLE: 'api', RATE_LIMIT_PER_MINUTE: '0' });
    await testApp.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(testApp.app.getHttpServer().address() as AddressInfo).port}`;
    await send({
      method: 'POST',
      path: `/outbound/agents/${agentId}/outbound-config`,
      body: JSON.stringify(configurationBody(agentId)),
    });
    for (let index = 0; index < 5; index++) {
      const answer = await send({
        method: 'POST',
        path: `/outbound/agents/${agentId}/calls`,
        body: JSON.stringify({ to_number: `+1212555${3100 + index}` }),
      });
      callIds.push((JSON.parse(answer.text) as { call_id: string }).call_id);
    }
  });

  afterAll(async () => {
    console.log(
      `fuzz cases run: ${tally.cases()}; 5xx seen: ${tally.serverErrors()}\n${tally.report()}`,
    );
    await testApp.close();
    // fetch keeps its connections alive; closing them lets jest exit at once.
    testApp.app.getHttpServer().closeAllConnections();
  });

  async function send(probe: Probe, contentType = 'application/json'): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${probe.path}`, {
      method: probe.method,
      headers: {
        authorization: `Bearer ${testApp.token}`,
        ...(probe.body === undefined ? {} : { 'content-type': contentType }),
      },
      body: probe.body,
    });
    const text = await response.text();

    return { status: response.status, text, ms: performance.now() - started };
  }

  /** Sends one generated request and holds its answer to the rules: no 5xx, errors in shape. */
  async function fuzzOnce(endpoint: string, probe: Probe): Promise<void> {
    const answer = await send(probe);
    tally.count(endpoint, answer.status);
    if (
      answer.status >= 500 ||
      answer.status < 200 ||
      (answer.status >= 300 && answer.status < 400)
    ) {
      throw new Error(`${probe.method} ${probe.path} answered ${answer.status}: ${answer.text}`);
    }
    const problem = answer.status >= 400 ? errorShapeProblem(answer) : null;
    if (problem) {
      throw new Error(
        `${probe.method} ${probe.path} answered ${answer.status}, ${problem}: ${answer.text}`,
      );
    }
  }

  async function fuzz(endpoint: string, probes: fc.Arbitrary<Probe>, runs: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(probes, (probe) => fuzzOnce(endpoint, probe)),
      { numRuns: runs },
    );
    expect(tally.cases(endpoint)).toBeGreaterThanOrEqual(runs);
  }

  const anyBody = (valid: fc.Arbitrary<unknown>) =>
    bodyText(
      fc.oneof(
        { arbitrary: fc.anything(), weight: 2 },
        { arbitrary: fc.jsonValue(), weight: 2 },
        { arbitrary: mutated(valid), weight: 5 },
        { arbitrary: valid, weight: 1 },
      ),
    );
  /** A path segment: mostly one that names something, sometimes anything, encoded or not. */
  const segment = (known: fc.Arbitrary<string>) =>
    fc.oneof(
      { arbitrary: known, weight: 4 },
      { arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent), weight: 2 },
      {
        arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
        weight: 1,
      },
      { arbitrary: fc.stringMatching(/^[%0-9A-Fa-f+.-]{1,12}$/), weight: 1 },
    );
  const agentSegment = () => segment(fc.oneof(fc.constant(agentId), fc.uuid()));
  const callSegment = () => segment(fc.oneof(fc.constantFrom(...callIds), fc.uuid()));
  const query = fc
    .dictionary(
      fc.oneof(
        fc.constantFrom('status', 'limit', 'cursor', 'attempt'),
        fc.string({ maxLength: 8 }),
      ),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('0', '1', '1000', '1001', '-1', '1e3', 'queued', 'MA=='),
      ),
      { maxKeys: 4 },
    )
    .map((fields) => new URLSearchParams(fields).toString());

  it('POST outbound-config: 3,000 bodies', async () => {
    const probes = fc
      .tuple(
        fc.oneof(
          { arbitrary: fc.constant(agentId), weight: 9 },
          { arbitrary: agentSegment(), weight: 1 },
        ),
        anyBody(validConfiguration(agentId)),
      )
      .map(([agent, body]): Probe => ({
        method: 'POST',
        path: `/outbound/agents/${agent}/outbound-config`,
        body,
      }));

    await fuzz('POST /outbound/agents/:agent_id/outbound-config', probes, 3000);
  });

  it('POST calls: 2,500 bodies', async () => {
    const probes = anyBody(validCall).map((body): Probe => ({
      method: 'POST',
      path: `/outbound/agents/${agentId}/calls`,
      body,
    }));

    await fuzz('POST /outbound/agents/:agent_id/calls', probes, 2500);
  });

  it('POST calls/batch: 1,500 bodies', async () => {
    const items = fc.array(fc.oneof(validCall, mutated(validCall), hostileValue), {
      maxLength: 12,
    });
    const batch = fc.record({ calls: items });
    const probes = fc
      .tuple(
        fc.oneof(
          { arbitrary: fc.constant(agentId), weight: 9 },
          { arbitrary: agentSegment(), weight: 1 },
        ),
        anyBody(batch),
      )
      .map(([agent, body]): Probe => ({
        method: 'POST',
        path: `/outbound/agents/${agent}/calls/batch`,
        body,
      }));

    await fuzz('POST /outbound/agents/:agent_id/calls/batch', probes, 1500);
  });

  it('POST call events: 1,500 bodies', async () => {
    const probes = fc
      .tuple(callSegment(), query, anyBody(validEvent))
      .map(([call, search, body]): Probe => ({
        method: 'POST',
        path: `/outbound/calls/${call}/events?${search}`,
        body,
      }));

    await fuzz('POST /outbound/calls/:call_id/events', probes, 1500);
  });

  it('POST dnc (bulk): 1,500 bodies', async () => {
    const probes = anyBody(validDncList).map((body): Probe => ({
      method: 'POST',
      path: '/outbound/dnc',
      body,
    }));

    await fuzz('POST /outbound/dnc', probes, 1500);
  });

  it('GET calls list: 800 queries', async () => {
    const probes = fc.tuple(agentSegment(), query).map(([agent, search]): Probe => ({
      method: 'GET',
      path: `/outbound/agents/${agent}/calls?${search}`,
    }));

    await fuzz('GET /outbound/agents/:agent_id/calls', probes, 800);
  });

  it('PUT, GET and DELETE dnc/:phone_number: 900 paths', async () => {
    const numbers = segment(
      fc.constantFrom(
        '%2B12125550100',
        '+12125550100',
        '%2B1%20212%20555%200100',
        '+44(20)79460018',
      ),
    );
    const probes = fc
      .tuple(fc.constantFrom('PUT', 'GET', 'DELETE') as fc.Arbitrary<Probe['method']>, numbers)
      .map(([method, number]): Probe => ({ method, path: `/outbound/dnc/${number}` }));

    await fuzz('PUT|GET|DELETE /outbound/dnc/:phone_number', probes, 900);
  });

  it('GET and DELETE calls/:call_id, GET and DELETE outbound-config: 900 paths', async () => {
    const probes = fc.oneof(
      fc
        .tuple(fc.constantFrom('GET', 'DELETE') as fc.Arbitrary<Probe['method']>, callSegment())
        .map(([method, call]): Probe => ({ method, path: `/outbound/calls/${call}` })),
      fc
        .tuple(
          fc.constantFrom('GET', 'GET', 'DELETE') as fc.Arbitrary<Probe['method']>,
          agentSegment(),
        )
        .filter(([method, agent]) => method === 'GET' || agent !== agentId)
        .map(([method, agent]): Probe => ({
          method,
          path: `/outbound/agents/${agent}/outbound-config`,
        })),
    );

    await fuzz('GET|DELETE /outbound/calls/:call_id and outbound-config', probes, 900);
  });

  it('still answers /health after the fuzzing, and no prototype was polluted', async () => {
    const health = await fetch(`${baseUrl}/health`);

    expect(health.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(tally.cases()).toBeGreaterThanOrEqual(12_600);
    expect(tally.serverErrors()).toBe(0);
  });

  describe('explicit hostile bodies', () => {
    const bodyRoutes = () => [
      `/outbound/agents/${agentId}/outbound-config`,
      `/outbound/agents/${agentId}/calls`,
      `/outbound/agents/${agentId}/calls/batch`,
      `/outbound/calls/${callIds[0]}/events`,
      '/outbound/dnc',
    ];

    it('refuses a body over the 12 MB limit with 413 on every route that takes one', async () => {
      const oversized = JSON.stringify({ padding: 'x'.repeat(13 * 1024 * 1024) });

      for (const path of bodyRoutes()) {
        const answer = await send({ method: 'POST', path, body: oversized });

        expect(answer.status).toBe(413);
        expect(errorShapeProblem(answer)).toBeNull();
      }
    });

    it('refuses __proto__, constructor and prototype keys with a 400 naming the field', async () => {
      const cases: [string, string, string][] = [
        [
          `/outbound/agents/${agentId}/calls`,
          '{"to_number":"+12125550177","__proto__":{"polluted":1}}',
          '__proto__',
        ],
        [
          `/outbound/agents/${agentId}/calls`,
          '{"to_number":"+12125550177","context":{"__proto__":{"polluted":1}}}',
          'context.__proto__',
        ],
        [
          `/outbound/agents/${agentId}/calls`,
          '{"to_number":"+12125550177","context":{"constructor":{"prototype":{"polluted":1}}}}',
          'context.constructor',
        ],
        [
          `/outbound/agents/${agentId}/calls/batch`,
          '{"calls":[{"to_number":"+12125550177","context":{"a":{"prototype":{"polluted":1}}}}]}',
          'calls[0].context.a.prototype',
        ],
        [
          '/outbound/dnc',
          '{"phone_numbers":["+12125550177"],"constructor":{"prototype":{"polluted":1}}}',
          'constructor',
        ],
        [
          `/outbound/calls/${callIds[0]}/events`,
          '{"status":"ringing","__proto__":{"polluted":1}}',
          '__proto__',
        ],
        [
          `/outbound/agents/${agentId}/outbound-config`,
          JSON.stringify(configurationBody(agentId)).replace(
            '"is_default":true',
            '"is_default":true,"__proto__":{"polluted":1}',
          ),
          'phone_numbers[0].__proto__',
        ],
      ];

      for (const [path, body, field] of cases) {
        const answer = await send({ method: 'POST', path, body });

        expect(answer.status).toBe(400);
        expect(errorShapeProblem(answer)).toBeNull();
        expect(JSON.parse(answer.text).details).toEqual([
          { field, problem: expect.stringContaining('reserved') },
        ]);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }
      console.log(`prototype keys: ${cases.length} bodies refused with 400, no prototype polluted`);
    });

    it('refuses 10,000 levels of nesting with a 400, promptly', async () => {
      const deep = nestedJson(10_000);
      const cases: [string, string, string][] = [
        [
          `/outbound/agents/${agentId}/calls`,
          `{"to_number":"+12125550177","context":${deep}}`,
          'context',
        ],
        [
          `/outbound/agents/${agentId}/calls/batch`,
          `{"calls":[{"to_number":"+12125550177","context":${deep}}]}`,
          'calls',
        ],
        [
          `/outbound/agents/${agentId}/outbound-config`,
          JSON.stringify(configurationBody(agentId)).replace(
            '"is_default":true',
            `"is_default":true,"metadata":${deep}`,
          ),
          'phone_numbers',
        ],
        ['/outbound/dnc', `{"phone_numbers":[${deep}]}`, 'phone_numbers'],
        [`/outbound/calls/${callIds[0]}/events`, `{"status":${deep}}`, 'status'],
        [`/outbound/agents/${agentId}/calls`, deep, 'inner'],
      ];

      for (const [path, body, field] of cases) {
        const answer = await send({ method: 'POST', path, body });

        expect(answer.status).toBe(400);
        expect(errorShapeProblem(answer)).toBeNull();
        expect(JSON.parse(answer.text).details).toEqual([
          { field, problem: 'nests deeper than 32 levels' },
        ]);
        expect(answer.ms).toBeLessThan(5000);
      }
      console.log(`deep nesting: ${cases.length} bodies of 10,000 levels refused with 400`);
    });

    it('refuses arrays past each documented maximum with a 400, promptly', async () => {
      const number = (index: number) => `+1212${String(5_000_000 + index)}`;
      const call = (index: number) => ({ to_number: number(index) });
      const configuration = configurationBody(agentId);
      const cases: [string, string, unknown, string][] = [
        [
          '100,001 DNC numbers',
          '/outbound/dnc',
          { phone_numbers: Array.from({ length: 100_001 }, (_, i) => number(i)) },
          'phone_numbers',
        ],
        [
          '200,001 DNC numbers',
          '/outbound/dnc',
          { phone_numbers: Array.from({ length: 200_001 }, (_, i) => number(i)) },
          'phone_numbers',
        ],
        [
          '10,001 batch calls',
          `/outbound/agents/${agentId}/calls/batch`,
          { calls: Array.from({ length: 10_001 }, (_, i) => call(i)) },
          'calls',
        ],
        [
          '100,001 batch calls',
          `/outbound/agents/${agentId}/calls/batch`,
          { calls: Array.from({ length: 100_001 }, (_, i) => call(i)) },
          'calls',
        ],
        [
          '1,001 caller numbers',
          `/outbound/agents/${agentId}/outbound-config`,
          {
            ...configuration,
            phone_numbers: Array.from({ length: 1001 }, (_, i) => ({ phone_number: number(i) })),
          },
          'phone_numbers',
        ],
        [
          '101 schedules',
          `/outbound/agents/${agentId}/outbound-config`,
          {
            ...configuration,
            schedules: Array.from({ length: 101 }, (_, i) => ({
              ...configuration.schedules[0],
              name: `s${i}`,
            })),
          },
          'schedules',
        ],
        [
          '51 time windows',
          `/outbound/agents/${agentId}/outbound-config`,
          {
            ...configuration,
            schedules: [
              {
                ...configuration.schedules[0],
                time_windows: Array(51).fill(configuration.schedules[0].time_windows[0]),
              },
            ],
          },
          'schedules[0].time_windows',
        ],
      ];
      const timings: string[] = [];

      for (const [label, path, body, field] of cases) {
        const answer = await send({ method: 'POST', path, body: JSON.stringify(body) });

        expect(answer.status).toBe(400);
        expect(errorShapeProblem(answer)).toBeNull();
        expect(
          JSON.parse(answer.text).details.map((detail: { field: string }) => detail.field),
        ).toContain(field);
        expect(answer.ms).toBeLessThan(10_000);
        timings.push(`${label}: 400 in ${Math.round(answer.ms)} ms`);
      }
      console.log(`huge arrays:\n${timings.join('\n')}`);
      expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
    });
  });
});
