import request from 'supertest';
import {
  ConfigurationChange,
  ConfigurationEvents,
} from '../../src/configuration/configuration.events';
import { startTestApp, TestApp } from '../support/app';
import {
  alwaysOpenWindow,
  ConfigurationBody,
  configurationPath,
  minimalConfiguration,
  newAgentId,
} from './configuration-fixtures';

describe('outbound configuration lifecycle', () => {
  let testApp: TestApp;
  const changes: ConfigurationChange[] = [];

  beforeAll(async () => {
    testApp = await startTestApp();
    testApp.app.get(ConfigurationEvents).onChange(async (change) => {
      changes.push(change);
    });
  });

  afterAll(async () => {
    await testApp.close();
  });

  async function post(agentId: string, body: unknown) {
    return testApp
      .api()
      .post(configurationPath(agentId))
      .send(body as object);
  }

  it('fills in every default of a minimal configuration', async () => {
    const agentId = newAgentId();

    const response = await post(agentId, minimalConfiguration(agentId));

    // Whether a weekday window is open depends on the clock; the readout tests pin it down.
    const { can_call_now, next_available_time, ...stored } = response.body;
    expect(response.status).toBe(200);
    expect(typeof can_call_now).toBe('boolean');
    expect(next_available_time === null || next_available_time.endsWith('Z')).toBe(true);
    expect(stored).toEqual({
      agent_id: agentId,
      phone_numbers: [
        {
          phone_number: '+12125550100',
          display_name: null,
          is_default: false,
          enabled: true,
          daily_limit: 5000,
          metadata: {},
        },
      ],
      schedules: [
        {
          id: 'business-hours',
          name: 'business-hours',
          time_windows: [
            {
              start_time: '09:00',
              end_time: '17:00',
              days_of_week: [1, 2, 3, 4, 5],
              timezone: 'America/New_York',
            },
          ],
          enabled: true,
          max_concurrent_calls: 1,
          call_interval_seconds: 0,
          respect_dnc: true,
          respect_timezone: true,
        },
      ],
      default_schedule_id: null,
      total_calls_today: 0,
      calls_remaining_today: 5000,
    });
  });

  it('keeps every value sent where it differs from the default', async () => {
    const agentId = newAgentId();
    const body: ConfigurationBody = {
      agent_id: agentId,
      phone_numbers: [
        {
          phone_number: '+442079460000',
          display_name: 'Acme London',
          is_default: true,
          enabled: false,
          daily_limit: 0,
          metadata: { crm: { id: 7, tags: ['uk', null] } },
        },
      ],
      schedules: [
        {
          id: 'evenings',
          name: 'Evening calls',
          time_windows: [
            { start_time: '18:00:30', end_time: '02:00', days_of_week: [5, 6], timezone: 'UTC' },
          ],
          enabled: false,
          max_concurrent_calls: 25,
          call_interval_seconds: 1.5,
          respect_dnc: false,
          respect_timezone: false,
        },
      ],
      default_schedule_id: 'evenings',
    };

    const response = await post(agentId, body);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ...body,
      total_calls_today: 0,
      calls_remaining_today: 0,
      can_call_now: false,
      next_available_time: null,
    });
  });

  it.each([
    ['+1 (212) 555-0100', '+12125550100'],
    ['+1.212.555.0100', '+12125550100'],
    ['+44 (20) 7946-0000', '+442079460000'],
    ['+33 6 12 34 56 78', '+33612345678'],
  ])('stores the phone number %s as %s', async (sent, stored) => {
    const agentId = newAgentId();
    const body = minimalConfiguration(agentId);
    body.phone_numbers[0].phone_number = sent;

    const response = await post(agentId, body);

    expect(response.status).toBe(200);
    expect(response.body.phone_numbers[0].phone_number).toBe(stored);
  });

  it('gives a schedule without an id its name as id, and keeps an id that was sent', async () => {
    const agentId = newAgentId();
    const body = minimalConfiguration(agentId);
    body.schedules = [
      { name: 'Weekday hours', time_windows: [alwaysOpenWindow('UTC')] },
      { id: 'weekend', name: 'Weekend hours', time_windows: [alwaysOpenWindow('UTC')] },
    ];

    const response = await post(agentId, body);

    expect(response.body.schedules.map((schedule: { id: string }) => schedule.id)).toEqual([
      'Weekday hours',
      'weekend',
    ]);
  });

  it('replaces the whole configuration on a second POST, and GET returns the second', async () => {
    const agentId = newAgentId();
    const first = minimalConfiguration(agentId);
    first.phone_numbers = [{ phone_number: '+12125550100' }, { phone_number: '+12125550101' }];
    const second: ConfigurationBody = {
      agent_id: agentId,
      phone_numbers: [{ phone_number: '+12125550199', daily_limit: 10 }],
      schedules: [{ id: 'nights', name: 'Nights', time_windows: [alwaysOpenWindow('UTC')] }],
    };

    await post(agentId, first);
    const replaced = await post(agentId, second);
    const read = await testApp.api().get(configurationPath(agentId));

    expect(read.status).toBe(200);
    expect(read.body).toEqual(replaced.body);
    expect(read.body.phone_numbers).toEqual([expect.objectContaining(second.phone_numbers[0])]);
    expect(read.body.schedules.map((schedule: { id: string }) => schedule.id)).toEqual(['nights']);
  });

  it('answers the same configuration to the same POST twice', async () => {
    const agentId = newAgentId();
    const body = minimalConfiguration(agentId);

    const first = await post(agentId, body);
    const second = await post(agentId, body);

    expect(second.body).toEqual(first.body);
  });

  it('answers 404 to a GET where the agent has no configuration', async () => {
    const agentId = newAgentId();

    const response = await testApp.api().get(configurationPath(agentId));

    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `Agent ${agentId} has no outbound configuration.`,
      details: [],
    });
  });

  it('removes a configuration with 204, after which GET and DELETE answer 404', async () => {
    const agentId = newAgentId();
    await post(agentId, minimalConfiguration(agentId));

    const removed = await testApp.api().delete(configurationPath(agentId));
    const read = await testApp.api().get(configurationPath(agentId));
    const removedAgain = await testApp.api().delete(configurationPath(agentId));

    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect(read.status).toBe(404);
    expect(removedAgain.status).toBe(404);
  });

  it('tells listeners of each replacement and removal, with the configurations before and after', async () => {
    const agentId = newAgentId();
    const first = minimalConfiguration(agentId);
    const second = minimalConfiguration(agentId);
    second.phone_numbers[0].daily_limit = 10;

    await post(agentId, first);
    await post(agentId, second);
    await testApp.api().delete(configurationPath(agentId));

    const ofAgent = changes.filter((change) => change.agentId === agentId);
    expect(ofAgent.map((change) => [change.previous !== null, change.current !== null])).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
    expect(ofAgent[1].previous?.phone_numbers[0].daily_limit).toBe(5000);
    expect(ofAgent[1].current?.phone_numbers[0].daily_limit).toBe(10);
  });

  it('stores nothing when a configuration is rejected', async () => {
    const agentId = newAgentId();
    const body = minimalConfiguration(agentId);
    body.phone_numbers.push({ phone_number: '+1 212 555 0100' });

    const rejected = await post(agentId, body);
    const read = await testApp.api().get(configurationPath(agentId));

    expect(rejected.status).toBe(400);
    expect(read.status).toBe(404);
  });

  it('answers malformed JSON with 400 in the one error shape', async () => {
    const agentId = newAgentId();

    const response = await testApp
      .api()
      .post(configurationPath(agentId))
      .set('Content-Type', 'application/json')
      .send('{"agent_id": ');

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.any(String),
      details: expect.any(Array),
    });
  });

  it('answers a body over 12 MB with 413 in the one error shape', async () => {
    const agentId = newAgentId();
    const body = minimalConfiguration(agentId);
    body.phone_numbers[0].metadata = { padding: 'x'.repeat(13 * 1024 * 1024) };

    const response = await post(agentId, body);

    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: expect.any(String),
      details: [],
    });
  });

  it('refuses a request without a token before looking at its body', async () => {
    const agentId = newAgentId();

    const response = await request(testApp.app.getHttpServer())
      .post(configurationPath(agentId))
      .send([]);

    expect(response.status).toBe(401);
  });

  it('documents every request field with a description in the OpenAPI document', async () => {
    const response = await testApp.api().get('/docs-json');
    const schemas = response.body.components.schemas as Record<
      string,
      { properties: Record<string, { description?: string; default?: unknown }> }
    >;

    for (const name of ['ConfigurationDto', 'CallerNumberDto', 'ScheduleDto', 'TimeWindowDto']) {
      for (const [field, property] of Object.entries(schemas[name].properties)) {
        expect({ field, description: property.description }).toEqual({
          field,
          description: expect.any(String),
        });
      }
    }
    expect(schemas.CallerNumberDto.properties.daily_limit.default).toBe(5000);
    expect(schemas.ScheduleDto.properties.max_concurrent_calls.default).toBe(1);
    expect(response.body.paths['/outbound/agents/{agent_id}/outbound-config']).toEqual({
      post: expect.any(Object),
      get: expect.any(Object),
      delete: expect.any(Object),
    });
  });
});
