import fc from 'fast-check';
import { CALL_EVENTS } from '../../src/calls/call.types';
import { CALLER_A, CALLER_B } from '../support/configurations';

/**
 * Generators of hostile request bodies for the fuzz tests: arbitrary JSON, text that is not
 * JSON, and valid bodies with a few fields dropped, retyped, stretched or renamed.
 */

/** A request body as sent: JSON text, or text that only claims to be JSON. */
export type BodyText = string;

const VALID_NUMBERS = ['+12125550100', '+44 20 7946 0018', '+1 (212) 555-0199', '+4915123456789'];

const TRICKY_STRINGS = [
  '',
  ' ',
  '+',
  '+0',
  '+12125550100',
  '+1 (212) 555-0100',
  '00:00',
  '24:00',
  '24:01',
  '23:59:60',
  'UTC',
  'Mars/Olympus_Mons',
  'America/New_York',
  '2030-01-01T00:00:00Z',
  '2030-02-30T00:00:00Z',
  'not-a-date',
  'urgent',
  'completed',
  '__proto__',
  'constructor',
  '\u0000',
  '\ud800',
  '‮‭',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  "'; DROP TABLE calls; --",
  '{{7*7}}',
  '%00',
  '../../etc/passwd',
];

const EDGE_NUMBERS = [
  -1,
  0,
  0.5,
  1,
  7,
  8,
  59,
  60,
  61,
  80,
  81,
  1000,
  1001,
  10_000,
  10_001,
  86_400,
  86_401,
  1e308,
  -1e308,
  2 ** 53 + 1,
  -0,
  1e-7,
];

/** Any value a field could be given: wrong types, edge numbers, huge and odd strings. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.anything({ maxDepth: 3 }), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.constantFrom(...EDGE_NUMBERS), weight: 3 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.constantFrom(...TRICKY_STRINGS), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
  {
    arbitrary: fc.integer({ min: 1000, max: 300_000 }).map((length) => '9'.repeat(length)),
    weight: 1,
  },
  { arbitrary: fc.integer({ min: 1, max: 60 }).map(nested), weight: 1 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}, [null], [[]]), weight: 2 },
);

/** `levels` arrays and objects inside one another, alternating. */
export function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) {
    value = level % 2 === 0 ? [value] : { inner: value };
  }

  return value;
}

/** The same nesting as JSON text, built without recursion: deep enough to break JSON.stringify. */
export function nestedJson(levels: number): string {
  const opening: string[] = [];
  const closing: string[] = [];
  for (let level = 0; level < levels; level++) {
    opening.push(level % 2 === 0 ? '{"inner":' : '[');
    closing.push(level % 2 === 0 ? '}' : ']');
  }

  return `${opening.join('')}1${closing.reverse().join('')}`;
}

const timeWindow = fc.record(
  {
    start_time: fc.constantFrom('00:00', '08:30', '22:00', '12:00:30'),
    end_time: fc.constantFrom('24:00', '17:00', '06:00', '12:00:31'),
    days_of_week: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    timezone: fc.constantFrom('UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata'),
  },
  { requiredKeys: ['start_time', 'end_time', 'days_of_week', 'timezone'] },
);

const schedule = fc.record(
  {
    id: fc.constantFrom('main', 'weekdays', 'night_shift'),
    name: fc.constantFrom('main', 'Weekdays', 'Night shift'),
    time_windows: fc.array(timeWindow, { minLength: 1, maxLength: 3 }),
    enabled: fc.boolean(),
    max_concurrent_calls: fc.integer({ min: 1, max: 1000 }),
    call_interval_seconds: fc.double({ min: 0, max: 86_400, noNaN: true }),
    respect_dnc: fc.boolean(),
    respect_timezone: fc.boolean(),
  },
  { requiredKeys: ['name', 'time_windows'] },
);

/** A configuration for `agentId`, valid in shape (uniqueness rules may still refuse it). */
export function validConfiguration(agentId: string): fc.Arbitrary<Record<string, unknown>> {
  const callerNumber = fc.record(
    {
      phone_number: fc.constantFrom(CALLER_A, CALLER_B, ...VALID_NUMBERS),
      display_name: fc.option(fc.string({ minLength: 1, maxLength: 30 })),
      is_default: fc.boolean(),
      enabled: fc.boolean(),
      daily_limit: fc.integer({ min: 0, max: 100_000 }),
      metadata: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 4,
      }),
    },
    { requiredKeys: ['phone_number'] },
  );

  return fc.record(
    {
      agent_id: fc.constant(agentId),
      phone_numbers: fc.array(callerNumber, { minLength: 1, maxLength: 3 }),
      schedules: fc.array(schedule, { minLength: 1, maxLength: 2 }),
      default_schedule_id: fc.constantFrom(null, 'main', 'weekdays'),
    },
    { requiredKeys: ['agent_id', 'phone_numbers', 'schedules'] },
  );
}

export const validCall: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    to_number: fc.constantFrom('+12125552001', '+12125552002', '+447700900123', '+1 212 555 2003'),
    from_number: fc.constantFrom(CALLER_A, CALLER_B),
    schedule_id: fc.constantFrom('main', 'absent'),
    context: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 4,
    }),
    priority: fc.constantFrom('low', 'normal', 'high', 'urgent'),
    ringing_timeout_seconds: fc.integer({ min: 1, max: 80 }),
    max_call_duration_seconds: fc.integer({ min: 60, max: 86_400 }),
    contact_timezone: fc.constantFrom('America/Chicago', 'Europe/London'),
    not_before: fc.constantFrom('2020-01-01T00:00:00Z', '2030-06-01T12:00:00.000Z'),
    expires_at: fc.constantFrom('2031-01-01T00:00:00Z'),
    external_id: fc.string({ minLength: 1, maxLength: 20 }),
    max_attempts: fc.integer({ min: 1, max: 10 }),
    retry_delay_seconds: fc.integer({ min: 0, max: 86_400 }),
  },
  { requiredKeys: ['to_number'] },
);

export const validEvent: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    status: fc.constantFrom(...CALL_EVENTS),
    duration_seconds: fc.double({ min: 0, max: 86_400, noNaN: true }),
  },
  { requiredKeys: ['status'] },
);

export const validDncList: fc.Arbitrary<Record<string, unknown>> = fc.record({
  phone_numbers: fc.array(fc.constantFrom(...VALID_NUMBERS, '+12125553000'), {
    minLength: 1,
    maxLength: 20,
  }),
});

interface Mutation {
  kind: 'drop' | 'replace' | 'rename' | 'add';
  /** Picks the place to mutate among every place in the body. */
  place: number;
  value: unknown;
  key: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('drop', 'replace', 'replace', 'replace', 'rename', 'add'),
  place: fc.nat(),
  value: hostileValue,
  key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('agent_id', 'calls', 'status')),
});

/** A valid body with one to three mutations applied. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([body, mutations]) => mutations.reduce(applyMutation, structuredClone(body)));
}

type Container = Record<string, unknown> | unknown[];

function applyMutation(body: unknown, mutation: Mutation): unknown {
  // A copy of the value: fast-check hands out the same constant ([], {}, [[]]) to many cases,
  // and a mutation that adds to one of them would change it for every later case, or add it
  // to itself and make a body that never ends.
  const change = { ...mutation, value: structuredClone(mutation.value) };
  const places = placesIn(body);
  if (places.length === 0) {
    return change.value;
  }
  const [container, key] = places[change.place % places.length];
  if (Array.isArray(container)) {
    const index = Number(key);
    if (change.kind === 'drop') {
      container.splice(index, 1);
    } else if (change.kind === 'add') {
      container.push(change.value);
    } else {
      container[index] = change.value;
    }

    return body;
  }
  const value = container[key];
  if (change.kind === 'drop' || change.kind === 'rename') {
    delete container[key];
  }
  if (change.kind === 'rename') {
    container[change.key] = value;
  } else if (change.kind === 'add') {
    container[change.key] = change.value;
  } else if (change.kind === 'replace') {
    container[key] = change.value;
  }

  return body;
}

/** Every (container, key) pair of a JSON value, outermost first. */
function placesIn(body: unknown): [Container, string][] {
  const places: [Container, string][] = [];
  const pending: unknown[] = [body];
  while (pending.length > 0) {
    const value = pending.shift();
    if (typeof value !== 'object' || value === null) {
      continue;
    }
    const container = value as Container;
    for (const key of Object.keys(container)) {
      places.push([container, key]);
      pending.push((container as Record<string, unknown>)[key]);
    }
  }

  return places;
}

/** The text of a body: JSON of any value, JSON text of odd shape, or text that is not JSON. */
export function bodyText(values: fc.Arbitrary<unknown>): fc.Arbitrary<BodyText> {
  return fc.oneof(
    { arbitrary: values.map((value) => JSON.stringify(value) ?? 'null'), weight: 8 },
    { arbitrary: fc.json({ maxDepth: 3 }), weight: 1 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
  );
}
