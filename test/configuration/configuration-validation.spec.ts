import { startTestApp, TestApp } from '../support/app';
import {
  alwaysOpenWindow,
  ConfigurationBody,
  configurationPath,
  firstNumber,
  firstSchedule,
  firstWindow,
  minimalConfiguration,
  newAgentId,
  phoneNumbers,
  RejectionCase,
  replaceField,
  schedules,
} from './configuration-fixtures';

const topLevelCases: RejectionCase[] = [
  {
    rule: 'a missing agent_id',
    breakBody: (body) => delete body.agent_id,
    field: 'agent_id',
    problem: /is required/,
  },
  {
    rule: 'an agent_id that is not a UUID',
    breakBody: (body) => (body.agent_id = 'agent-7'),
    field: 'agent_id',
    problem: /must be a uuid/,
  },
  {
    rule: 'an agent_id other than the path one',
    breakBody: (body) => (body.agent_id = newAgentId()),
    field: 'agent_id',
    problem: /must equal the agent_id of the path/,
  },
  {
    rule: 'a default_schedule_id that names no schedule',
    breakBody: (body) => (body.default_schedule_id = 'weekends'),
    field: 'default_schedule_id',
    problem: /must be the id of one of the schedules \("business-hours"\)/,
  },
  {
    rule: 'a default_schedule_id that is not a string',
    breakBody: (body) => (body.default_schedule_id = 5),
    field: 'default_schedule_id',
    problem: /must be the id of one of the schedules, or null/,
  },
  {
    rule: 'an unknown top-level field',
    breakBody: (body) => (body.priority = 'high'),
    field: 'priority',
    problem: /is not a known field/,
  },
];

const phoneNumberCases: RejectionCase[] = [
  {
    rule: 'missing phone_numbers',
    breakBody: (body) => replaceField(body, 'phone_numbers', undefined),
    field: 'phone_numbers',
    problem: /must be an array of 1 to 1000 phone numbers/,
  },
  {
    rule: 'no phone numbers',
    breakBody: (body) => (body.phone_numbers = []),
    field: 'phone_numbers',
    problem: /at least 1/,
  },
  {
    rule: 'more than 1000 phone numbers',
    breakBody: (body) => (body.phone_numbers = phoneNumbers(1001)),
    field: 'phone_numbers',
    problem: /at most 1000 phone numbers \(it holds 1001\)/,
  },
  {
    rule: 'an object in place of the phone_numbers array',
    breakBody: (body) => replaceField(body, 'phone_numbers', { phone_number: '+12125550100' }),
    field: 'phone_numbers',
    problem: /must be an array/,
  },
  {
    rule: 'a string in place of a phone number object',
    breakBody: (body) =>
      replaceField(body, 'phone_numbers', [{ phone_number: '+12125550100' }, 'x']),
    field: 'phone_numbers[1]',
    problem: /must be an object/,
  },
  {
    rule: 'an array in place of a phone number object',
    breakBody: (body) => replaceField(body, 'phone_numbers', [[{ phone_number: '+12125550100' }]]),
    field: 'phone_numbers[0]',
    problem: /must be an object/,
  },
  {
    rule: 'a missing phone_number',
    breakBody: (body) => delete firstNumber(body).phone_number,
    field: 'phone_numbers[0].phone_number',
    problem: /is required/,
  },
  {
    rule: 'a phone number without its country code',
    breakBody: (body) => (firstNumber(body).phone_number = '(212) 555-0100'),
    field: 'phone_numbers[0].phone_number',
    problem: /must start with "\+" and the country code/,
  },
  {
    rule: 'a phone number that cannot exist',
    breakBody: (body) => (firstNumber(body).phone_number = '+1555'),
    field: 'phone_numbers[0].phone_number',
    problem: /is not a valid phone number/,
  },
  {
    rule: 'a phone number given as a JSON number',
    breakBody: (body) => (firstNumber(body).phone_number = 12125550100),
    field: 'phone_numbers[0].phone_number',
    problem: /must be a string/,
  },
  {
    rule: 'the same number twice once normalised',
    breakBody: (body) =>
      (body.phone_numbers = [
        { phone_number: '+1 212 555 0100' },
        { phone_number: '+12125550101' },
        { phone_number: '+1-212-555-0100' },
      ]),
    field: 'phone_numbers[2].phone_number',
    problem: /duplicates phone_numbers\[0\]/,
  },
  {
    rule: 'a display_name that is not a string',
    breakBody: (body) => (firstNumber(body).display_name = 42),
    field: 'phone_numbers[0].display_name',
    problem: /must be a string/,
  },
  {
    rule: 'a blank display_name',
    breakBody: (body) => (firstNumber(body).display_name = '  '),
    field: 'phone_numbers[0].display_name',
    problem: /must not be blank/,
  },
  {
    rule: 'an is_default that is not a boolean',
    breakBody: (body) => (firstNumber(body).is_default = 'yes'),
    field: 'phone_numbers[0].is_default',
    problem: /boolean/,
  },
  {
    rule: 'two default numbers',
    breakBody: (body) =>
      (body.phone_numbers = [
        { phone_number: '+12125550100', is_default: true },
        { phone_number: '+12125550101', is_default: true },
      ]),
    field: 'phone_numbers[1].is_default',
    problem: /phone_numbers\[0\] is the default already; at most one number may be/,
  },
  {
    rule: 'an enabled that is not a boolean',
    breakBody: (body) => (firstNumber(body).enabled = 1),
    field: 'phone_numbers[0].enabled',
    problem: /boolean/,
  },
  {
    rule: 'a negative daily_limit',
    breakBody: (body) => (firstNumber(body).daily_limit = -1),
    field: 'phone_numbers[0].daily_limit',
    problem: /must not be less than 0/,
  },
  {
    rule: 'a fractional daily_limit',
    breakBody: (body) => (firstNumber(body).daily_limit = 2.5),
    field: 'phone_numbers[0].daily_limit',
    problem: /integer/,
  },
  {
    rule: 'a daily_limit given as a string',
    breakBody: (body) => (firstNumber(body).daily_limit = '10'),
    field: 'phone_numbers[0].daily_limit',
    problem: /integer/,
  },
  {
    rule: 'metadata that is an array',
    breakBody: (body) => (firstNumber(body).metadata = ['crm']),
    field: 'phone_numbers[0].metadata',
    problem: /must be an object/,
  },
  {
    rule: 'metadata larger than 8 KiB as JSON',
    breakBody: (body) => (firstNumber(body).metadata = { note: 'x'.repeat(8182) }),
    field: 'phone_numbers[0].metadata',
    problem: /at most 8192 bytes as JSON \(it is 8193\)/,
  },
  {
    rule: 'an unknown field of a phone number',
    breakBody: (body) => (firstNumber(body).carrier = 'acme'),
    field: 'phone_numbers[0].carrier',
    problem: /is not a known field/,
  },
];

describe('configuration and phone number validation', () => {
  let testApp: TestApp;
  const agentId = newAgentId();

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  async function post(body: unknown) {
    return testApp
      .api()
      .post(configurationPath(agentId))
      .send(body as object);
  }

  describe.each([
    ['the configuration', topLevelCases],
    ['a phone number', phoneNumberCases],
  ])('of %s', (_part, cases) => {
    it.each(cases)('rejects $rule, naming $field', async ({ breakBody, field, problem }) => {
      const body = minimalConfiguration(agentId);
      breakBody(body);

      const response = await post(body);

      expect(response.status).toBe(400);
      expect(response.body.details).toContainEqual({
        field,
        problem: expect.stringMatching(problem),
      });
    });
  });

  it('answers a rejection in the one error shape, with every problem found', async () => {
    const body = minimalConfiguration(agentId);
    firstNumber(body).daily_limit = -1;
    firstWindow(body).timezone = 'Nowhere';

    const response = await post(body);

    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request is invalid.',
      details: [
        { field: 'phone_numbers[0].daily_limit', problem: 'must not be less than 0' },
        {
          field: 'schedules[0].time_windows[0].timezone',
          problem: 'must be an IANA time zone name such as "America/New_York" or "UTC"',
        },
      ],
    });
  });

  it('rejects an agent_id in the path that is not a UUID, on every method', async () => {
    const path = configurationPath('agent-7');
    const expectedDetails = [{ field: 'agent_id', problem: 'must be a uuid' }];

    const posted = await testApp.api().post(path).send(minimalConfiguration(agentId));
    const read = await testApp.api().get(path);
    const removed = await testApp.api().delete(path);

    for (const response of [posted, read, removed]) {
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual(expectedDetails);
    }
  });

  it('rejects an array in place of the configuration object', async () => {
    const response = await post([minimalConfiguration(agentId)]);

    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([
      { field: 'body', problem: 'must be a JSON object, not an array' },
    ]);
  });

  it('rejects an empty body, naming each required field', async () => {
    const response = await post({});

    expect(response.status).toBe(400);
    expect(response.body.details.map((detail: { field: string }) => detail.field)).toEqual([
      'agent_id',
      'phone_numbers',
      'schedules',
    ]);
  });

  it.each<[string, (body: ConfigurationBody) => void]>([
    ['exactly 1000 phone numbers', (body) => (body.phone_numbers = phoneNumbers(1000))],
    ['exactly 100 schedules', (body) => (body.schedules = schedules(100))],
    [
      'exactly 50 time windows',
      (body) =>
        (firstSchedule(body).time_windows = Array.from({ length: 50 }, () =>
          alwaysOpenWindow('UTC'),
        )),
    ],
    ['an end_time of 24:00', (body) => (firstWindow(body).end_time = '24:00')],
    ['an end_time of 24:00:00', (body) => (firstWindow(body).end_time = '24:00:00')],
    [
      'clock times with seconds',
      (body) => Object.assign(firstWindow(body), { start_time: '08:30:15', end_time: '17:45:59' }),
    ],
    [
      'an overnight window',
      (body) => Object.assign(firstWindow(body), { start_time: '22:00', end_time: '06:00' }),
    ],
    ['every day of the week', (body) => (firstWindow(body).days_of_week = [7, 6, 5, 4, 3, 2, 1])],
    ['a daily_limit of 0', (body) => (firstNumber(body).daily_limit = 0)],
    ['a max_concurrent_calls of 1000', (body) => (firstSchedule(body).max_concurrent_calls = 1000)],
    ['a fractional call interval', (body) => (firstSchedule(body).call_interval_seconds = 0.5)],
    ['a call interval of a day', (body) => (firstSchedule(body).call_interval_seconds = 86400)],
    [
      'metadata of exactly 8 KiB as JSON',
      (body) => (firstNumber(body).metadata = { note: 'x'.repeat(8181) }),
    ],
    ['a null display_name', (body) => (firstNumber(body).display_name = null)],
    ['a null default_schedule_id', (body) => (body.default_schedule_id = null)],
    [
      'a default_schedule_id naming a schedule by its name',
      (body) => (body.default_schedule_id = 'business-hours'),
    ],
    ['the zone UTC', (body) => (firstWindow(body).timezone = 'UTC')],
    ['an agent_id in capitals', (body) => (body.agent_id = agentId.toUpperCase())],
  ])('accepts %s', async (_case, adjustBody) => {
    const body = minimalConfiguration(agentId);
    adjustBody(body);

    const response = await post(body);

    expect(response.body.details).toBeUndefined();
    expect(response.status).toBe(200);
  });
});
