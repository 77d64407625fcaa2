import { randomUUID } from 'node:crypto';
import { pacingFields } from '../../src/configuration/configuration.store';
import { OutboundConfiguration } from '../../src/configuration/configuration.types';
import { startTestApp, TestApp } from '../support/app';
import { ALWAYS_OPEN } from '../support/configurations';

const VARIANTS = 10;
const WRITES = 300;
const READS = 300;

/** The live readout changes with the clock and the counters; the rest is what was stored. */
const READOUT_FIELDS = [
  'total_calls_today',
  'calls_remaining_today',
  'can_call_now',
  'next_available_time',
];

/** Ten configurations of one agent that differ in every part: numbers, schedules, limits. */
function variant(agentId: string, index: number) {
  return {
    agent_id: agentId,
    phone_numbers: Array.from({ length: 1 + (index % 4) }, (_, number) => ({
      phone_number: `+1212555${String(1000 + index * 10 + number)}`,
      display_name: `variant ${index} number ${number}`,
      is_default: number === 0,
      daily_limit: 100 * (index + 1) + number,
      metadata: { variant: index },
    })),
    schedules: Array.from({ length: 1 + (index % 3) }, (_, schedule) => ({
      id: `v${index}-s${schedule}`,
      name: `variant ${index} schedule ${schedule}`,
      max_concurrent_calls: index + 1,
      call_interval_seconds: index,
      respect_dnc: index % 2 === 0,
      time_windows: [{ ...ALWAYS_OPEN, timezone: index % 2 ? 'UTC' : 'America/New_York' }],
    })),
    default_schedule_id: `v${index}-s0`,
  };
}

function storedPart(body: Record<string, unknown>): string {
  const copy = { ...body };
  for (const field of READOUT_FIELDS) {
    delete copy[field];
  }

  return JSON.stringify(copy);
}

function shuffled<T>(items: T[]): T[] {
  return items
    .map((item) => ({ item, order: Math.random() }))
    .sort((left, right) => left.order - right.order)
    .map(({ item }) => item);
}

/** Many writers and readers of one agent's configuration at once, on the real app and Redis. */
describe('concurrent configuration writes for one agent', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ ROLE: 'api' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('lets every read see one whole configuration that was written, never a mix', async () => {
    const agentId = randomUUID();
    const path = `/outbound/agents/${agentId}/outbound-config`;
    const bodies = Array.from({ length: VARIANTS }, (_, index) => variant(agentId, index));
    const requests = shuffled([
      ...Array.from({ length: WRITES }, (_, index) => ({ kind: 'write', index: index % VARIANTS })),
      ...Array.from({ length: READS }, () => ({ kind: 'read', index: -1 })),
    ]);

    // One configuration stands before the race: a read may then never find none.
    await testApp.api().post(path).send(bodies[0]).expect(200);

    const answers = await Promise.all(
      requests.map(({ kind, index }) =>
        kind === 'write' ? testApp.api().post(path).send(bodies[index]) : testApp.api().get(path),
      ),
    );

    const written = new Map<number, string>();
    const seen: string[] = [];
    const otherStatuses: number[] = [];
    answers.forEach((answer, position) => {
      const { kind, index } = requests[position];
      if (kind === 'write') {
        expect(answer.status).toBe(200);
        written.set(index, storedPart(answer.body));
      } else if (answer.status === 200) {
        seen.push(storedPart(answer.body));
      } else {
        otherStatuses.push(answer.status);
      }
    });
    const wholeConfigurations = new Set(written.values());
    const distinctSeen = new Set(seen);
    console.log(
      `writes: ${WRITES} of ${VARIANTS} variants; reads: ${READS}, of which not 200: ` +
        `${otherStatuses.length}; distinct configurations read: ${distinctSeen.size}`,
    );

    expect(otherStatuses).toEqual([]);
    expect(written.size).toBe(VARIANTS);
    expect(wholeConfigurations.size).toBe(VARIANTS);
    expect([...distinctSeen].filter((body) => !wholeConfigurations.has(body))).toEqual([]);
    expect(distinctSeen.size).toBeGreaterThan(1);
  });

  it('leaves the stored hash whole: its pacing fields are those of its own document', async () => {
    const agentId = randomUUID();
    const path = `/outbound/agents/${agentId}/outbound-config`;
    const bodies = Array.from({ length: VARIANTS }, (_, index) => variant(agentId, index));

    await Promise.all(
      shuffled(Array.from({ length: WRITES }, (_, index) => bodies[index % VARIANTS])).map((body) =>
        testApp.api().post(path).send(body).expect(200),
      ),
    );

    const stored = await testApp.redis.hgetall(testApp.keys.forAgent(agentId).configuration);
    const configuration = JSON.parse(stored.json) as OutboundConfiguration;
    expect(stored).toEqual(pacingFields(configuration, stored.version));
    const read = await testApp.api().get(path).expect(200);
    expect(JSON.parse(storedPart(read.body))).toEqual(configuration);
  });

  it('answers every read during writes and deletes with a whole configuration or 404', async () => {
    const agentId = randomUUID();
    const path = `/outbound/agents/${agentId}/outbound-config`;
    const bodies = Array.from({ length: VARIANTS }, (_, index) => variant(agentId, index));
    const written = new Set<string>();
    for (const body of bodies) {
      written.add(storedPart((await testApp.api().post(path).send(body).expect(200)).body));
    }

    const answers = await Promise.all(
      shuffled([
        ...Array.from(
          { length: 100 },
          (_, index) => () =>
            testApp
              .api()
              .post(path)
              .send(bodies[index % VARIANTS]),
        ),
        ...Array.from({ length: 50 }, () => () => testApp.api().delete(path)),
        ...Array.from({ length: 200 }, () => () => testApp.api().get(path)),
      ]).map((send) => send()),
    );

    const reads = answers.filter((answer) => answer.request.method === 'GET');
    const statuses = new Set(answers.map((answer) => answer.status));
    console.log(`writes, deletes and reads at once: statuses ${[...statuses].sort().join(', ')}`);
    expect([...statuses].every((status) => [200, 204, 404].includes(status))).toBe(true);
    for (const read of reads.filter((answer) => answer.status === 200)) {
      expect(written.has(storedPart(read.body))).toBe(true);
    }
  });
});
