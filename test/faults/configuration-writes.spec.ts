import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { pacingFields } from '../../src/configuration/configuration.store';
import { OutboundConfiguration } from '../../src/configuration/configuration.types';
import { startTestApp, TestApp } from '../support/app';
import { connectTestRedis } from '../support/redis';

const VARIANTS = 10;
const WRITES = 300;
const DELETES = 60;
const READERS = 8;
const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];
/** Fields of a configuration response computed on each read, not stored. */
const READOUT_FIELDS = [
  'total_calls_today',
  'calls_remaining_today',
  'can_call_now',
  'next_available_time',
];

/**
 * A valid configuration that differs from every other variant in each field a torn write could
 * mix: caller numbers, display names, limits, metadata, schedule ids and names, schedule count,
 * windows, pacing rules and the default schedule.
 */
function variant(agentId: string, index: number) {
  const schedules = [
    {
      id: `day-${index}`,
      name: `Day shift ${index}`,
      time_windows: [
        {
          start_time: `0${index}:00`,
          end_time: `1${index}:30`,
          days_of_week: [1, 2, 3, 4, 5, 6, 7].slice(0, 1 + (index % 7)),
          timezone: ZONES[index % ZONES.length],
        },
      ],
      max_concurrent_calls: index + 1,
      call_interval_seconds: index * 1.5,
      respect_dnc: index % 2 === 0,
    },
  ];
  for (let extra = 0; extra < index % 3; extra += 1) {
    schedules.push({
      ...schedules[0],
      id: `night-${index}-${extra}`,
      name: `Night ${index}.${extra}`,
    });
  }

  return {
    agent_id: agentId,
    phone_numbers: [
      {
        phone_number: `+1212555${3000 + index * 2}`,
        display_name: `Desk ${index}`,
        is_default: true,
        daily_limit: 100 + index,
        metadata: { variant: index },
      },
      {
        phone_number: `+1212555${3001 + index * 2}`,
        display_name: index % 2 === 0 ? `Spare ${index}` : null,
        enabled: index % 2 === 0,
        daily_limit: 200 + index,
      },
    ],
    schedules,
    default_schedule_id: `day-${index}`,
  };
}

/** The stored part of a configuration response: the response without the live readout. */
function storedPart(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).filter(([field]) => !READOUT_FIELDS.includes(field)),
  );
}

/** What one GET answered: its status, and which variant it matched whole (null for none). */
interface Read {
  status: number;
  variant: number | null;
}

interface Write {
  method: 'post' | 'delete';
  index: number;
}

/**
 * Writers replace one agent's configuration hundreds of times at once, while readers read it
 * through the API and straight from its Redis hash. Every read must see one whole configuration
 * that some writer posted, never a mix of two, and the hash must always agree with itself.
 */
describe('concurrent configuration writes for one agent', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  /**
   * Posts each variant once, one after the other, and returns the stored form of each as the API
   * answered it; checks that a read right after each write answers it whole. The last variant
   * stays stored.
   */
  async function storedForms(agentId: string): Promise<Record<string, unknown>[]> {
    const forms = [];
    for (let index = 0; index < VARIANTS; index += 1) {
      const posted = await configurationRequest(agentId, 'post', index);
      const read = await testApp.api().get(configurationPath(agentId));
      expect([posted.status, read.status]).toEqual([200, 200]);
      expect(storedPart(read.body)).toEqual(storedPart(posted.body));
      forms.push(storedPart(posted.body));
    }

    return forms;
  }

  function configurationPath(agentId: string): string {
    return `/outbound/agents/${agentId}/outbound-config`;
  }

  function configurationRequest(agentId: string, method: 'post' | 'delete', index: number) {
    const request = testApp.api()[method](configurationPath(agentId));

    return method === 'post' ? request.send(variant(agentId, index)) : request;
  }

  /**
   * Problems of one sample of the configuration hash: none when it agrees with itself (its
   * pacing fields exactly those derived from its json), or when it is absent and may be.
   */
  function hashProblems(hash: Record<string, string>, mayBeAbsent: boolean): string[] {
    if (Object.keys(hash).length === 0) {
      return mayBeAbsent ? [] : ['no configuration hash while one was stored'];
    }
    if (hash.json === undefined || hash.version === undefined) {
      return [`a hash without json or version: fields ${Object.keys(hash).sort().join(', ')}`];
    }
    const derived = pacingFields(JSON.parse(hash.json) as OutboundConfiguration, hash.version);
    const fields = new Set([...Object.keys(hash), ...Object.keys(derived)]);
    const differing = [...fields].filter((field) => hash[field] !== derived[field]).sort();

    return differing.length === 0
      ? []
      : [`version ${hash.version}: fields not those of its json: ${differing.join(', ')}`];
  }

  /**
   * Sends every write at once, each with a read beside it, while more API readers and a Redis
   * reader on a connection of its own loop until the last write is answered.
   */
  async function race(agentId: string, forms: Record<string, unknown>[], writes: Write[]) {
    const key = testApp.keys.forAgent(agentId).configuration;
    const sampler = connectTestRedis();
    const reads: Read[] = [];
    const hashSamples: Record<string, string>[] = [];
    let writing = true;

    const read = async () => {
      const response = await testApp.api().get(configurationPath(agentId));
      const index = forms.findIndex((form) => isDeepStrictEqual(form, storedPart(response.body)));
      reads.push({ status: response.status, variant: index < 0 ? null : index });
    };
    const write = async ({ method, index }: Write) => {
      const response = await configurationRequest(agentId, method, index);

      return { method, index, status: response.status, body: response.body as object };
    };
    const loops = Array.from({ length: READERS }, async () => {
      while (writing) {
        await read();
      }
    });
    const sampling = (async () => {
      while (writing) {
        hashSamples.push(await sampler.hgetall(key));
      }
    })();
    const answers = await Promise.all(
      writes.map(async (each) => (await Promise.all([write(each), read()]))[0]),
    );
    writing = false;
    await Promise.all([...loops, sampling]);
    const finalHash = await sampler.hgetall(key);
    await sampler.quit();

    return { answers, reads, hashSamples, finalHash };
  }

  /** Prints the figures of a race; returns the configurations and versions it saw. */
  function report(title: string, outcome: Awaited<ReturnType<typeof race>>, writes: Write[]) {
    const versions = new Set(outcome.hashSamples.map((hash) => hash.version).filter(Boolean));
    const variantsSeen = new Set(outcome.reads.flatMap((read) => read.variant ?? []));
    const readsByStatus = new Map<number, number>();
    for (const read of outcome.reads) {
      readsByStatus.set(read.status, (readsByStatus.get(read.status) ?? 0) + 1);
    }
    const deletes = writes.filter((write) => write.method === 'delete').length;
    const statuses = [...readsByStatus].map(([status, count]) => `${status} x${count}`);
    console.log(
      [
        `${title}: ${writes.length - deletes} writes, ${deletes} deletes`,
        `${outcome.reads.length} API reads (${statuses.join(', ')})`,
        `${variantsSeen.size} of ${VARIANTS} configurations read`,
        `${outcome.hashSamples.length} hash samples, ${versions.size} distinct versions seen`,
      ].join('; '),
    );

    return { variantsSeen, versions };
  }

  it('every read sees one whole configuration, never a mix, while 300 writes race', async () => {
    const agentId = randomUUID();
    const forms = await storedForms(agentId);
    const writes: Write[] = Array.from({ length: WRITES }, (_, write) => ({
      method: 'post',
      index: write % VARIANTS,
    }));

    const outcome = await race(agentId, forms, writes);
    const { variantsSeen, versions } = report('configuration writes', outcome, writes);

    expect(outcome.answers.filter((answer) => !answeredWhole(answer, forms))).toEqual([]);
    expect(outcome.reads.filter((read) => read.status !== 200 || read.variant === null)).toEqual(
      [],
    );
    expect(outcome.hashSamples.flatMap((hash) => hashProblems(hash, false))).toEqual([]);
    expect(outcome.reads.length).toBeGreaterThanOrEqual(WRITES);
    expect(variantsSeen.size).toBeGreaterThan(1);
    expect(versions.size).toBeGreaterThan(1);
    const final = await testApp.api().get(configurationPath(agentId)).expect(200);
    expect(hashProblems(outcome.finalHash, false)).toEqual([]);
    expect(storedPart(final.body)).toEqual(JSON.parse(outcome.finalHash.json));
  });

  it('every read sees a whole configuration or none while writes and deletes race', async () => {
    const agentId = randomUUID();
    const forms = await storedForms(agentId);
    const writes: Write[] = Array.from({ length: WRITES }, (_, write) => ({
      method: write % (WRITES / DELETES) === 0 ? 'delete' : 'post',
      index: (write * 7) % VARIANTS,
    }));

    const outcome = await race(agentId, forms, writes);
    report('configuration writes and deletes', outcome, writes);

    expect(outcome.answers.filter((answer) => !answeredWhole(answer, forms))).toEqual([]);
    expect(
      outcome.reads.filter(
        (read) => read.status !== 404 && (read.status !== 200 || read.variant === null),
      ),
    ).toEqual([]);
    expect(outcome.hashSamples.flatMap((hash) => hashProblems(hash, true))).toEqual([]);
    expect(outcome.reads.filter((read) => read.status === 200).length).toBeGreaterThan(0);
    expect(outcome.answers.filter((answer) => answer.status === 204).length).toBeGreaterThan(0);
    const final = await testApp.api().get(configurationPath(agentId));
    expect(hashProblems(outcome.finalHash, true)).toEqual([]);
    expect(final.status === 200 ? storedPart(final.body) : final.status).toEqual(
      outcome.finalHash.json === undefined ? 404 : JSON.parse(outcome.finalHash.json),
    );
  });
});

/** A write answered as it should: a POST 200 with its variant whole; a DELETE 204, or 404. */
function answeredWhole(
  answer: { method: string; index: number; status: number; body: object },
  forms: Record<string, unknown>[],
): boolean {
  if (answer.method === 'delete') {
    return answer.status === 204 || answer.status === 404;
  }

  return (
    answer.status === 200 &&
    isDeepStrictEqual(storedPart(answer.body as Record<string, unknown>), forms[answer.index])
  );
}
