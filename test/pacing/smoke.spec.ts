import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/app';
import { callee, configurationBody } from '../support/configurations';
import { FakeTelephony } from '../support/telephony';

describe('pacing smoke', () => {
  let telephony: FakeTelephony;
  let testApp: TestApp;

  beforeAll(async () => {
    telephony = await FakeTelephony.start();
    testApp = await startTestApp({ DIALER_DRIVER: 'http', DIALER_URL: telephony.url });
  });

  afterAll(async () => {
    await testApp.close();
    await telephony.stop();
  });

  it('dials an enqueued call', async () => {
    const agentId = randomUUID();
    const config = await testApp
      .api()
      .post(`/outbound/agents/${agentId}/outbound-config`)
      .send(configurationBody(agentId));
    expect(config.status).toBe(200);
    const enqueued = await testApp
      .api()
      .post(`/outbound/agents/${agentId}/calls`)
      .send({ to_number: callee(1) });
    expect(enqueued.status).toBe(202);
    await telephony.waitForDials(1);
    expect(telephony.dials[0].body.call_id).toBe(enqueued.body.call_id);
    const call = await testApp.api().get(`/outbound/calls/${enqueued.body.call_id}`);
    expect(call.body.status).toBe('dialing');
  });
});
