import { startTestApp, TestApp } from '../support/app';
import {
  alwaysOpenWindow,
  configurationPath,
  firstSchedule,
  firstWindow,
  minimalConfiguration,
  newAgentId,
  RejectionCase,
  replaceField,
  schedules,
} from './configuration-fixtures';

const DAYS_ARE_NUMBERED = /days are numbered 1 \(Monday\) to 7 \(Sunday\)/;

const scheduleCases: RejectionCase[] = [
  {
    rule: 'missing schedules',
    breakBody: (body) => replaceField(body, 'schedules', undefined),
    field: 'schedules',
    problem: /must be an array of 1 to 100 schedules/,
  },
  {
    rule: 'no schedules',
    breakBody: (body) => (body.schedules = []),
    field: 'schedules',
    problem: /at least 1/,
  },
  {
    rule: 'more than 100 schedules',
    breakBody: (body) => (body.schedules = schedules(101)),
    field: 'schedules',
    problem: /at most 100 schedules/,
  },
  {
    rule: 'null in place of a schedule',
    breakBody: (body) => replaceField(body, 'schedules', [null]),
    field: 'schedules[0]',
    problem: /must be an object/,
  },
  {
    rule: 'a schedule id with a space',
    breakBody: (body) => (firstSchedule(body).id = 'business hours'),
    field: 'schedules[0].id',
    problem: /1 to 64 letters, digits, "_" or "-"/,
  },
  {
    rule: 'a schedule id longer than 64 characters',
    breakBody: (body) => (firstSchedule(body).id = 'a'.repeat(65)),
    field: 'schedules[0].id',
    problem: /1 to 64 letters/,
  },
  {
    rule: 'an empty schedule id',
    breakBody: (body) => (firstSchedule(body).id = ''),
    field: 'schedules[0].id',
    problem: /1 to 64 letters/,
  },
  {
    rule: 'a missing schedule name',
    breakBody: (body) => delete firstSchedule(body).name,
    field: 'schedules[0].name',
    problem: /is required/,
  },
  {
    rule: 'a blank schedule name',
    breakBody: (body) => (firstSchedule(body).name = ' '),
    field: 'schedules[0].name',
    problem: /must not be blank/,
  },
  {
    rule: 'a schedule name that is not a string',
    breakBody: (body) => (firstSchedule(body).name = 7),
    field: 'schedules[0].name',
    problem: /must be a string/,
  },
  {
    rule: 'two schedules of one name',
    breakBody: (body) =>
      (body.schedules = [
        { id: 'a', name: 'Main', time_windows: [alwaysOpenWindow('UTC')] },
        { id: 'b', name: 'Main', time_windows: [alwaysOpenWindow('UTC')] },
      ]),
    field: 'schedules[1].name',
    problem: /duplicates the name of schedules\[0\]/,
  },
  {
    rule: 'two schedules of one id',
    breakBody: (body) =>
      (body.schedules = [
        { id: 'main', name: 'Main', time_windows: [alwaysOpenWindow('UTC')] },
        { id: 'main', name: 'Backup', time_windows: [alwaysOpenWindow('UTC')] },
      ]),
    field: 'schedules[1].id',
    problem: /duplicates the id of schedules\[0\]/,
  },
  {
    rule: "a name that, serving as the id, is another schedule's id",
    breakBody: (body) =>
      (body.schedules = [
        { id: 'main', name: 'Main', time_windows: [alwaysOpenWindow('UTC')] },
        { name: 'main', time_windows: [alwaysOpenWindow('UTC')] },
      ]),
    field: 'schedules[1].name',
    problem: /serves as the schedule's id, which duplicates the id of schedules\[0\]/,
  },
  {
    rule: 'an enabled that is not a boolean',
    breakBody: (body) => (firstSchedule(body).enabled = 'true'),
    field: 'schedules[0].enabled',
    problem: /boolean/,
  },
  {
    rule: 'a max_concurrent_calls of 0',
    breakBody: (body) => (firstSchedule(body).max_concurrent_calls = 0),
    field: 'schedules[0].max_concurrent_calls',
    problem: /must not be less than 1/,
  },
  {
    rule: 'a max_concurrent_calls above 1000',
    breakBody: (body) => (firstSchedule(body).max_concurrent_calls = 1001),
    field: 'schedules[0].max_concurrent_calls',
    problem: /must not be greater than 1000/,
  },
  {
    rule: 'a fractional max_concurrent_calls',
    breakBody: (body) => (firstSchedule(body).max_concurrent_calls = 1.5),
    field: 'schedules[0].max_concurrent_calls',
    problem: /integer/,
  },
  {
    rule: 'a negative call_interval_seconds',
    breakBody: (body) => (firstSchedule(body).call_interval_seconds = -1),
    field: 'schedules[0].call_interval_seconds',
    problem: /must not be less than 0/,
  },
  {
    rule: 'a call_interval_seconds above a day',
    breakBody: (body) => (firstSchedule(body).call_interval_seconds = 86400.5),
    field: 'schedules[0].call_interval_seconds',
    problem: /must not be greater than 86400/,
  },
  {
    rule: 'a call_interval_seconds given as a string',
    breakBody: (body) => (firstSchedule(body).call_interval_seconds = '5'),
    field: 'schedules[0].call_interval_seconds',
    problem: /must be a number/,
  },
  {
    rule: 'a respect_dnc that is not a boolean',
    breakBody: (body) => (firstSchedule(body).respect_dnc = 'no'),
    field: 'schedules[0].respect_dnc',
    problem: /boolean/,
  },
  {
    rule: 'a respect_timezone that is not a boolean',
    breakBody: (body) => (firstSchedule(body).respect_timezone = 0),
    field: 'schedules[0].respect_timezone',
    problem: /boolean/,
  },
  {
    rule: 'an unknown field of a schedule',
    breakBody: (body) => (firstSchedule(body).priority = 'high'),
    field: 'schedules[0].priority',
    problem: /is not a known field/,
  },
];

const windowCases: RejectionCase[] = [
  {
    rule: 'missing time_windows',
    breakBody: (body) => replaceField(firstSchedule(body), 'time_windows', undefined),
    field: 'schedules[0].time_windows',
    problem: /must be an array of 1 to 50 time windows/,
  },
  {
    rule: 'no time windows',
    breakBody: (body) => (firstSchedule(body).time_windows = []),
    field: 'schedules[0].time_windows',
    problem: /at least 1/,
  },
  {
    rule: 'more than 50 time windows',
    breakBody: (body) =>
      (firstSchedule(body).time_windows = Array.from({ length: 51 }, () =>
        alwaysOpenWindow('UTC'),
      )),
    field: 'schedules[0].time_windows',
    problem: /at most 50 time windows/,
  },
  {
    rule: 'a string in place of a time window',
    breakBody: (body) => replaceField(firstSchedule(body), 'time_windows', ['09:00-17:00']),
    field: 'schedules[0].time_windows[0]',
    problem: /must be an object/,
  },
  {
    rule: 'a start_time of 24:00',
    breakBody: (body) => (firstWindow(body).start_time = '24:00'),
    field: 'schedules[0].time_windows[0].start_time',
    problem: /HH:MM or HH:MM:SS/,
  },
  {
    rule: 'a start_time without a leading zero',
    breakBody: (body) => (firstWindow(body).start_time = '9:00'),
    field: 'schedules[0].time_windows[0].start_time',
    problem: /HH:MM or HH:MM:SS/,
  },
  {
    rule: 'a start_time of minute 60',
    breakBody: (body) => (firstWindow(body).start_time = '12:60'),
    field: 'schedules[0].time_windows[0].start_time',
    problem: /HH:MM or HH:MM:SS/,
  },
  {
    rule: 'a missing start_time',
    breakBody: (body) => delete firstWindow(body).start_time,
    field: 'schedules[0].time_windows[0].start_time',
    problem: /is required/,
  },
  {
    rule: 'an end_time past 24:00',
    breakBody: (body) => (firstWindow(body).end_time = '24:01'),
    field: 'schedules[0].time_windows[0].end_time',
    problem: /HH:MM or HH:MM:SS .*, or 24:00/,
  },
  {
    rule: 'an end_time of second 60',
    breakBody: (body) => (firstWindow(body).end_time = '12:00:60'),
    field: 'schedules[0].time_windows[0].end_time',
    problem: /HH:MM or HH:MM:SS/,
  },
  {
    rule: 'a missing end_time',
    breakBody: (body) => delete firstWindow(body).end_time,
    field: 'schedules[0].time_windows[0].end_time',
    problem: /is required/,
  },
  {
    rule: 'an end_time equal to the start_time',
    breakBody: (body) => {
      firstWindow(body).start_time = '09:00:00';
      firstWindow(body).end_time = '09:00';
    },
    field: 'schedules[0].time_windows[0].end_time',
    problem: /must differ from start_time/,
  },
  {
    rule: 'a day numbered 0',
    breakBody: (body) => (firstWindow(body).days_of_week = [0, 1, 2]),
    field: 'schedules[0].time_windows[0].days_of_week',
    problem: DAYS_ARE_NUMBERED,
  },
  {
    rule: 'a day numbered 8',
    breakBody: (body) => (firstWindow(body).days_of_week = [8]),
    field: 'schedules[0].time_windows[0].days_of_week',
    problem: DAYS_ARE_NUMBERED,
  },
  {
    rule: 'a fractional day',
    breakBody: (body) => (firstWindow(body).days_of_week = [1.5]),
    field: 'schedules[0].time_windows[0].days_of_week',
    problem: DAYS_ARE_NUMBERED,
  },
  {
    rule: 'a day given by name',
    breakBody: (body) => (firstWindow(body).days_of_week = 'Monday'),
    field: 'schedules[0].time_windows[0].days_of_week',
    problem: DAYS_ARE_NUMBERED,
  },
  {
    rule: 'no days',
    breakBody: (body) => (firstWindow(body).days_of_week = []),
    field: 'schedules[0].time_windows[0].days_of_week',
    problem: /at least one day/,
  },
  {
    rule: 'a repeated day',
    breakBody: (body) => (firstWindow(body).days_of_week = [1, 3, 1]),
    field: 'schedules[0].time_windows[0].days_of_week',
    problem: /names day 1 more than once/,
  },
  {
    rule: 'missing days_of_week',
    breakBody: (body) => delete firstWindow(body).days_of_week,
    field: 'schedules[0].time_windows[0].days_of_week',
    problem: /is required/,
  },
  {
    rule: 'a time zone that does not exist',
    breakBody: (body) => (firstWindow(body).timezone = 'Mars/Olympus_Mons'),
    field: 'schedules[0].time_windows[0].timezone',
    problem: /IANA time zone/,
  },
  {
    rule: 'a UTC offset in place of a time zone',
    breakBody: (body) => (firstWindow(body).timezone = '+05:00'),
    field: 'schedules[0].time_windows[0].timezone',
    problem: /IANA time zone/,
  },
  {
    rule: 'a missing time zone',
    breakBody: (body) => delete firstWindow(body).timezone,
    field: 'schedules[0].time_windows[0].timezone',
    problem: /is required/,
  },
  {
    rule: 'an unknown field of a time window',
    breakBody: (body) => (firstWindow(body).note = 'lunch'),
    field: 'schedules[0].time_windows[0].note',
    problem: /is not a known field/,
  },
];

describe('schedule and time window validation', () => {
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
    ['a schedule', scheduleCases],
    ['a time window', windowCases],
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

  it('explains that days are numbered from 1 when a day 0 is sent', async () => {
    const body = minimalConfiguration(agentId);
    firstWindow(body).days_of_week = [0];

    const response = await post(body);

    expect(response.body.details).toEqual([
      {
        field: 'schedules[0].time_windows[0].days_of_week',
        problem: 'holds 0, but days are numbered 1 (Monday) to 7 (Sunday)',
      },
    ]);
  });
});
