import { randomUUID } from 'node:crypto';
import { ALWAYS_OPEN, callee } from '../support/configurations';
import { closedWindow, PacingHarness, sleep } from './pacing-harness';

describe('call lifecycle', () => {
  let harness: PacingHarness;

  beforeAll(async () => {
    harness = await PacingHarness.start();
  });

  afterEach(() => {
    harness.telephony.dials.length = 0;
    harness.telephony.responder = () => 202;
  });

  afterAll(async () => {
    await harness.stop();
  });

  function inOneSecond(): string {
    return new Date(Date.now() + 1_000).toISOString();
  }

  describe('cancel', () => {
    it('cancels a queued call, which is then never dialed', async () => {
      const agentId = await harness.configure();
      const callId = await harness.enqueue(agentId, {
        to_number: callee(1),
        not_before: inOneSecond(),
      });

      const cancelled = await harness.testApp.api().delete(`/outbound/calls/${callId}`);
      await sleep(1_300);

      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect(harness.telephony.dials).toHaveLength(0);
    });

    it('refuses with 409 to cancel a call already dialing', async () => {
      const agentId = await harness.configure();
      const callId = await harness.enqueue(agentId, { to_number: callee(1) });
      await harness.telephony.waitForDials(1);

      const refused = await harness.testApp.api().delete(`/outbound/calls/${callId}`);

      expect(refused.status).toBe(409);
      expect((await harness.call(callId)).status).toBe('dialing');
    });
  });

  it('returns the first call with 200 for a second enqueue with the same external_id', async () => {
    const agentId = await harness.configure();
    const body = { to_number: callee(1), external_id: `crm-${randomUUID()}` };
    const first = await harness.testApp.api().post(`/outbound/agents/${agentId}/calls`).send(body);
    const second = await harness.testApp.api().post(`/outbound/agents/${agentId}/calls`).send(body);

    await harness.telephony.waitForDials(1);
    await sleep(300);

    expect([first.status, second.status]).toEqual([202, 200]);
    expect(second.body.call_id).toBe(first.body.call_id);
    expect(harness.telephony.dials).toHaveLength(1);
  });

  it('tries a busy call again after retry_delay_seconds while attempts remain', async () => {
    const agentId = await harness.configure();
    harness.endEachDialAfter(20, 'busy');
    const callId = await harness.enqueue(agentId, {
      to_number: callee(1),
      max_attempts: 2,
      retry_delay_seconds: 1,
    });

    await harness.telephony.waitForDials(2, 5_000);
    const call = await harness.callReaching(callId, 'busy');
    await sleep(1_200);
    const [first, second] = harness.telephony.dials;

    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(1_000);
    expect(call).toMatchObject({ attempts: 2, blocked_reason: null });
    expect(harness.telephony.dialsOf(callId)).toHaveLength(2);
  });

  describe('events', () => {
    it('changes nothing on a repeated end event', async () => {
      const agentId = await harness.configure();
      const callId = await harness.enqueue(agentId, { to_number: callee(1) });
      await harness.telephony.waitForDials(1);
      await harness.report(callId, 'completed');
      const ended = await harness.call(callId);

      const repeated = await harness.report(callId, 'busy');

      expect(repeated).toBe('unchanged');
      expect(await harness.call(callId)).toEqual(ended);
    });

    it("changes nothing on an event about an earlier attempt's call", async () => {
      const agentId = await harness.configure();
      const callId = await harness.enqueue(agentId, {
        to_number: callee(1),
        max_attempts: 2,
        retry_delay_seconds: 0,
      });
      await harness.telephony.waitForDials(1);
      await harness.report(callId, 'no_answer', 1);
      await harness.telephony.waitForDials(2);
      const retried = await harness.callReaching(callId, 'dialing');

      const late = await harness.report(callId, 'completed', 1);

      expect(late).toBe('stale');
      expect(await harness.call(callId)).toEqual(retried);
      expect(retried.attempts).toBe(2);
    });
  });

  it('expires a call still waiting at expires_at', async () => {
    const agentId = await harness.configure({ time_windows: [closedWindow()] });
    const callId = await harness.enqueue(agentId, {
      to_number: callee(1),
      expires_at: inOneSecond(),
    });

    const call = await harness.callReaching(callId, 'expired', 3_000);

    expect(call.attempts).toBe(0);
    expect(harness.telephony.dials).toHaveLength(0);
  });

  describe('do-not-call', () => {
    it('blocks at dial time a callee listed after the call was enqueued', async () => {
      const agentId = await harness.configure({ respect_dnc: true });
      const listedCallee = `+1212555${String(Math.floor(Math.random() * 9000) + 1000)}`;
      const callId = await harness.enqueue(agentId, {
        to_number: listedCallee,
        not_before: inOneSecond(),
      });

      const listed = await harness.testApp.api().put(`/outbound/dnc/${listedCallee}`);
      const call = await harness.callReaching(callId, 'blocked', 3_000);

      expect(listed.status).toBe(200);
      expect(call.blocked_reason).toBe('dnc');
      expect(harness.telephony.dials).toHaveLength(0);
    });

    it('dials a listed callee for a schedule without respect_dnc', async () => {
      const agentId = await harness.configure({ respect_dnc: false });
      const listedCallee = `+1212555${String(Math.floor(Math.random() * 9000) + 1000)}`;
      await harness.testApp.api().put(`/outbound/dnc/${listedCallee}`).expect(200);

      const callId = await harness.enqueue(agentId, { to_number: listedCallee });
      await harness.telephony.waitForDials(1);

      expect(harness.dialedIds()).toEqual([callId]);
    });
  });

  describe('configuration changes', () => {
    it('cancels the waiting calls when the configuration is deleted', async () => {
      const agentId = await harness.configure({ time_windows: [closedWindow()] });
      const callIds = [
        await harness.enqueue(agentId, { to_number: callee(1) }),
        await harness.enqueue(agentId, { to_number: callee(2), not_before: inOneSecond() }),
      ];

      await harness.testApp.api().delete(`/outbound/agents/${agentId}/outbound-config`).expect(204);

      for (const callId of callIds) {
        const call = await harness.callReaching(callId, 'cancelled');
        expect(call.blocked_reason).toBe('configuration_removed');
      }
    });

    it('blocks the waiting calls of a schedule removed from the configuration', async () => {
      const night = { id: 'night', name: 'night', time_windows: [closedWindow()] };
      const main = { name: 'main', time_windows: [ALWAYS_OPEN] };
      const agentId = await harness.configure({}, { schedules: [main, night] });
      const callId = await harness.enqueue(agentId, { to_number: callee(1), schedule_id: 'night' });

      await harness.configure({}, { schedules: [main] }, agentId);
      const call = await harness.callReaching(callId, 'blocked');

      expect(call.blocked_reason).toBe('schedule_removed');
      expect(harness.telephony.dials).toHaveLength(0);
    });
  });
});
