import { randomUUID } from 'node:crypto';
import { storeKeys } from '../../src/calls/store-runs';
import { LuaScripts } from '../../src/redis/lua-scripts';
import { startTestApp, TestApp } from '../support/app';
import { ALWAYS_OPEN, callee, configurationBody } from '../support/configurations';

interface BatchAnswer {
  accepted: { call_id: string; to_number: string; schedule_id: string; external_id: string }[];
  rejected: { index: number; details: { field: string; problem: string }[] }[];
}

/** The API alone: nothing dials, so every accepted call stays queued where it was stored. */
describe('batch enqueue', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ ROLE: 'api' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  async function configuredAgent(): Promise<string> {
    const agentId = randomUUID();
    const body = configurationBody(agentId, {}, {});
    body.schedules.push({ name: 'evenings', time_windows: [ALWAYS_OPEN] });
    const response = await testApp
      .api()
      .post(`/outbound/agents/${agentId}/outbound-config`)
      .send(body);
    expect(response.status).toBe(200);

    return agentId;
  }

  async function enqueueBatch(agentId: string, calls: unknown[]): Promise<BatchAnswer> {
    const response = await testApp
      .api()
      .post(`/outbound/agents/${agentId}/calls/batch`)
      .send({ calls });
    expect(response.status).toBe(202);

    return response.body as BatchAnswer;
  }

  it('rejects each bad item alone, by its index and field, and stores the others', async () => {
    const agentId = await configuredAgent();

    const answer = await enqueueBatch(agentId, [
      { to_number: callee(1) },
      { to_number: 'not a number' },
      { to_number: callee(3), priority: 'soon' },
      { to_number: callee(4), schedule_id: 'nights' },
      'a string',
      { to_number: callee(6) },
    ]);

    expect(answer.accepted.map((call) => call.to_number)).toEqual([callee(1), callee(6)]);
    expect(answer.rejected.map(({ index, details }) => [index, details[0].field])).toEqual([
      [1, 'to_number'],
      [2, 'priority'],
      [3, 'schedule_id'],
      [4, 'item'],
    ]);
    const listed = await testApp.api().get(`/outbound/agents/${agentId}/calls?limit=10`);
    expect(listed.body.calls.map((call: { call_id: string }) => call.call_id)).toEqual(
      answer.accepted.map((call) => call.call_id),
    );
  });

  it('keeps the order of a batch that spans several stores and two schedules', async () => {
    const agentId = await configuredAgent();
    const calls = Array.from({ length: 950 }, (_, index) => ({
      to_number: callee(index),
      schedule_id: index % 3 === 0 ? 'evenings' : 'main',
    }));

    const answer = await enqueueBatch(agentId, calls);

    expect(answer.rejected).toEqual([]);
    expect(answer.accepted.map((call) => [call.to_number, call.schedule_id])).toEqual(
      calls.map((call) => [call.to_number, call.schedule_id]),
    );
    const scheduleKeys = testApp.keys.forAgent(agentId).forSchedule('evenings');
    const lines = await testApp.redis.smembers(scheduleKeys.lines);
    const waiting = await Promise.all(
      lines.map((line) => testApp.redis.zcard(scheduleKeys.waiting(line))),
    );
    expect(waiting.reduce((sum, count) => sum + count, 0)).toBe(317);
  });

  it('returns the earlier call for an external_id seen before or earlier in the same batch', async () => {
    const agentId = await configuredAgent();
    const [earlier] = (await enqueueBatch(agentId, [{ to_number: callee(1), external_id: 'a' }]))
      .accepted;

    const answer = await enqueueBatch(agentId, [
      { to_number: callee(2), external_id: 'a' },
      { to_number: callee(3), external_id: 'b' },
      { to_number: callee(4), external_id: 'b' },
      { to_number: callee(5) },
    ]);

    const ids = answer.accepted.map((call) => call.call_id);
    expect(ids[0]).toBe(earlier.call_id);
    expect(answer.accepted[0].to_number).toBe(callee(1));
    expect(ids[2]).toBe(ids[1]);
    expect(answer.accepted[2].to_number).toBe(callee(3));
    expect(new Set(ids).size).toBe(3);
    const listed = await testApp.api().get(`/outbound/agents/${agentId}/calls?limit=10`);
    expect(listed.body.calls).toHaveLength(3);
  });

  it.each([
    'context',
    'priority',
    'ringing_timeout_seconds',
    'max_call_duration_seconds',
    'max_attempts',
    'retry_delay_seconds',
    'from_number',
    'schedule_id',
    'contact_timezone',
    'not_before',
    'expires_at',
    'external_id',
  ])('refuses %s: null with a 400 naming it, alone or in a batch', async (field) => {
    const agentId = await configuredAgent();
    const call = { to_number: callee(1), [field]: null };

    const single = await testApp.api().post(`/outbound/agents/${agentId}/calls`).send(call);
    const batch = await enqueueBatch(agentId, [call, { to_number: callee(2) }]);

    expect(single.status).toBe(400);
    expect(single.body.details.map((detail: { field: string }) => detail.field)).toContain(field);
    expect(batch.accepted).toHaveLength(1);
    expect(batch.rejected[0].index).toBe(0);
    expect(batch.rejected[0].details.map((detail) => detail.field)).toContain(field);
  });

  it('stores none of a run whose arguments are malformed, and says so', async () => {
    const agentId = await configuredAgent();
    const agentKeys = testApp.keys.forAgent(agentId);
    const scheduleKeys = agentKeys.forSchedule('main');
    const group = (callId: string, score: string) => [
      callId,
      '',
      'line',
      score,
      Date.now(),
      0,
      0,
      2,
      'status',
      'queued',
    ];
    const run = testApp.app
      .get(LuaScripts)
      .run('enqueue-calls', storeKeys(agentKeys, 'main'), [
        'main',
        agentKeys.callPrefix,
        scheduleKeys.waitingPrefix,
        ...group('a', '1'),
        ...group('b', 'nan'),
      ]);

    await expect(run).rejects.toThrow('malformed call group');
    expect(
      await testApp.redis.exists(agentKeys.call('a'), agentKeys.calls, scheduleKeys.lines),
    ).toBe(0);
  });

  it('answers 404 and stores nothing for an agent without a configuration', async () => {
    const agentId = randomUUID();

    const response = await testApp
      .api()
      .post(`/outbound/agents/${agentId}/calls/batch`)
      .send({ calls: [{ to_number: callee(1) }] });

    expect(response.status).toBe(404);
    const listed = await testApp.api().get(`/outbound/agents/${agentId}/calls`);
    expect(listed.body.calls).toEqual([]);
  });
});
