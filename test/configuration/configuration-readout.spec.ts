import { dayKey, startOfNextDay } from '../../src/calendar/schedule-calendar';
import { startTestApp, TestApp } from '../support/app';
import {
  alwaysOpenWindow,
  ConfigurationBody,
  configurationPath,
  newAgentId,
} from './configuration-fixtures';

// Windows open all week make "can call now" true at any instant, so only the counters decide.
const ZONE = 'America/Chicago';

function openAllWeek(agentId: string): ConfigurationBody {
  return {
    agent_id: agentId,
    phone_numbers: [
      { phone_number: '+12125550100', daily_limit: 10 },
      { phone_number: '+12125550101', daily_limit: 20 },
      { phone_number: '+12125550102', daily_limit: 100, enabled: false },
    ],
    schedules: [{ id: 'always', name: 'Always', time_windows: [alwaysOpenWindow(ZONE)] }],
  };
}

describe('the outbound configuration readout', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  /** Sets today's attempt counters through the key builder the pacing engine uses. */
  async function setAttemptsToday(agentId: string, attempts: Record<string, number>) {
    const today = dayKey(Date.now(), ZONE);
    await testApp.redis.hset(testApp.keys.forAgent(agentId).dailyAttempts(today), attempts);
  }

  async function read(agentId: string) {
    const response = await testApp.api().get(configurationPath(agentId));
    expect(response.status).toBe(200);

    return response.body;
  }

  it("counts today's calls from every number and what remains on the enabled ones", async () => {
    const agentId = newAgentId();
    await testApp.api().post(configurationPath(agentId)).send(openAllWeek(agentId));
    await setAttemptsToday(agentId, {
      '+12125550100': 4,
      '+12125550101': 25,
      '+12125550102': 3,
    });

    const readout = await read(agentId);

    expect(readout).toMatchObject({
      total_calls_today: 32,
      calls_remaining_today: 6,
      can_call_now: true,
      next_available_time: null,
    });
  });

  it('answers the readout on POST as well, counting the calls made before the replacement', async () => {
    const agentId = newAgentId();
    await setAttemptsToday(agentId, { '+12125550100': 7 });

    const response = await testApp
      .api()
      .post(configurationPath(agentId))
      .send(openAllWeek(agentId));

    expect(response.body).toMatchObject({ total_calls_today: 7, calls_remaining_today: 23 });
  });

  it('names the next local midnight as the next available time once the limits are spent', async () => {
    const agentId = newAgentId();
    await testApp.api().post(configurationPath(agentId)).send(openAllWeek(agentId));
    await setAttemptsToday(agentId, { '+12125550100': 10, '+12125550101': 20 });

    const readout = await read(agentId);

    expect(readout).toMatchObject({
      total_calls_today: 30,
      calls_remaining_today: 0,
      can_call_now: false,
      next_available_time: new Date(startOfNextDay(Date.now(), ZONE)).toISOString(),
    });
  });

  it('cannot call while the default schedule is disabled', async () => {
    const agentId = newAgentId();
    const body = openAllWeek(agentId);
    body.schedules.push({
      id: 'paused',
      name: 'Paused',
      enabled: false,
      time_windows: [alwaysOpenWindow(ZONE)],
    });
    body.default_schedule_id = 'paused';
    await testApp.api().post(configurationPath(agentId)).send(body);

    const readout = await read(agentId);

    expect(readout).toMatchObject({
      calls_remaining_today: 30,
      can_call_now: false,
      next_available_time: null,
    });
  });

  it('names no next available time when every daily limit is zero', async () => {
    const agentId = newAgentId();
    const body = openAllWeek(agentId);
    body.phone_numbers = [{ phone_number: '+12125550100', daily_limit: 0 }];
    await testApp.api().post(configurationPath(agentId)).send(body);

    const readout = await read(agentId);

    expect(readout).toMatchObject({
      calls_remaining_today: 0,
      can_call_now: false,
      next_available_time: null,
    });
  });
});
