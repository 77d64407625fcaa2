import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/app';
import { CALLER_A, callee, configurationBody } from '../support/configurations';
import { LogCapture } from '../support/log-capture';
import { eventually } from '../support/poll';
import { FakeTelephony } from '../support/telephony';

describe('metrics and structured logs', () => {
  let telephony: FakeTelephony;
  let testApp: TestApp;
  const logs = new LogCapture();
  const agentId = randomUUID();
  const to = callee(41);

  beforeAll(async () => {
    telephony = await FakeTelephony.start();
    testApp = await startTestApp(
      {
        DIALER_DRIVER: 'http',
        DIALER_URL: telephony.url,
        DIALER_TOKEN: 'dialer-secret-token-0001',
        LOG_LEVEL: 'info',
      },
      { logDestination: logs },
    );
    await testApp
      .api()
      .post(`/outbound/agents/${agentId}/outbound-config`)
      .send(configurationBody(agentId));
    await testApp.api().post(`/outbound/agents/${agentId}/calls`).send({ to_number: to });
    await telephony.waitForDials(1);
    // The dial is logged once the dialer's answer is back, a moment after it arrived.
    await eventually(async () => logs.events('call.dialed')[0]);
  });

  afterAll(async () => {
    await testApp.close();
    await telephony.stop();
  });

  it('counts a dial, its latency and its wait since enqueue', async () => {
    const response = await testApp.api().get('/metrics');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.text).toContain('outpace_dials_total{answer="placed"} 1');
    expect(response.text).toContain('outpace_dial_latency_seconds_count 1');
    expect(response.text).toContain('outpace_enqueue_to_dial_seconds_count 1');
    expect(response.text).toContain('outpace_call_status_changes_total{status="queued"} 1');
    expect(response.text).toMatch(/outpace_live_calls\{schedule="[^"]+"\} 1/);
  });

  it('reports queue depths read from BullMQ at scrape', async () => {
    const response = await testApp.api().get('/metrics');

    expect(response.text).toMatch(/outpace_queue_jobs\{queue="pacing-wake",state="delayed"\} \d+/);
    expect(response.text).toMatch(/outpace_queue_jobs\{queue="pacing-wake",state="waiting"\} \d+/);
  });

  it('logs a dial as one JSON line with ids and masked numbers', () => {
    const dialed = logs.events('call.dialed');

    expect(dialed).toHaveLength(1);
    expect(dialed[0]).toMatchObject({
      level: 30,
      agentId,
      answer: 'placed',
      attempt: 1,
      to: '+1********41',
      from: '+1********00',
      context: 'DialPlacer',
      msg: 'dial handed to the dialer',
    });
    expect(dialed[0].scheduleId).toEqual(expect.any(String));
    expect(dialed[0].callId).toEqual(expect.any(String));
  });

  it('logs a configuration change as one event with the agent and its schedules', () => {
    expect(logs.events('configuration.replaced')).toEqual([
      expect.objectContaining({
        agentId,
        numbers: 1,
        enabledNumbers: 1,
        scheduleIds: ['main'],
        enabledSchedules: 1,
        msg: 'configuration replaced',
      }),
    ]);
  });

  it('never logs a token or a full phone number', async () => {
    await testApp.api().get(`/outbound/dnc/${encodeURIComponent(to)}`);
    const everything = logs.lines.join('\n');

    expect(logs.lines.some((line) => line.includes('/outbound/dnc/'))).toBe(true);
    expect(everything).not.toContain(testApp.token);
    expect(everything).not.toContain('dialer-secret-token-0001');
    expect(everything).not.toContain(to.slice(1));
    expect(everything).not.toContain(CALLER_A.slice(1));
  });
});
