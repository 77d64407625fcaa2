import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/app';
import { callee, configurationBody } from '../support/configurations';
import { eventually } from '../support/poll';
import { ServiceProcess, startServiceProcess } from '../support/service-process';
import { FakeTelephony } from '../support/telephony';

/** The shortest lease SPEC allows: max_call_duration_seconds 60 plus the 60 s margin. */
const LEASE_MS = 120_000;

describe('a worker killed with SIGKILL while it holds live calls', () => {
  let telephony: FakeTelephony;
  let api: TestApp;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    telephony = await FakeTelephony.start();
    api = await startTestApp({ ROLE: 'api', DIALER_DRIVER: 'http', DIALER_URL: telephony.url });
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await api.close();
    await telephony.stop();
  });

  function startWorker(): Promise<ServiceProcess> {
    return startServiceProcess({
      ROLE: 'worker',
      REDIS_URL: api.environment.redisUrl as string,
      REDIS_KEY_PREFIX: api.environment.redisKeyPrefix,
      API_TOKENS: api.token,
      DIALER_DRIVER: 'http',
      DIALER_URL: telephony.url,
      DATA_DIR: api.environment.dataDirectory,
    }).then((worker) => {
      workers.push(worker);

      return worker;
    });
  }

  it('gets its slots back at lease expiry and dials no call twice', async () => {
    const agentId = randomUUID();
    await api
      .api()
      .post(`/outbound/agents/${agentId}/outbound-config`)
      .send(configurationBody(agentId, { max_concurrent_calls: 2, respect_dnc: false }))
      .expect(200);
    const first = await startWorker();
    const calls = Array.from({ length: 4 }, (_, index) => ({
      to_number: callee(index),
      max_call_duration_seconds: 60,
    }));
    await api.api().post(`/outbound/agents/${agentId}/calls/batch`).send({ calls }).expect(202);
    await telephony.waitForDials(2);
    const crashedAt = Date.now();
    await first.stop('SIGKILL');
    await startWorker();

    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(telephony.dials).toHaveLength(2);
    await telephony.waitForDials(4, LEASE_MS + 15_000);
    const reclaimedAfter = telephony.dials[2].receivedAt - telephony.dials[0].receivedAt;

    const heldCalls = telephony.dials.slice(0, 2).map((dial) => dial.body.call_id);
    const held = await eventually(async () => {
      const views = await Promise.all(
        heldCalls.map((callId) => api.api().get(`/outbound/calls/${callId}`)),
      );

      return views.every((view) => view.body.status === 'failed') ? views : undefined;
    });
    console.log(
      `SIGKILL ${crashedAt - telephony.dials[0].receivedAt} ms after the first dial; ` +
        `slots came back ${reclaimedAfter} ms after it (lease ${LEASE_MS} ms); ` +
        `${telephony.dials.length} dials for 4 calls`,
    );
    expect(held.map((view) => view.body.blocked_reason)).toEqual([
      'lease_expired',
      'lease_expired',
    ]);
    expect(reclaimedAfter).toBeGreaterThanOrEqual(LEASE_MS);
    expect(reclaimedAfter).toBeLessThan(LEASE_MS + 2000);
    expect(new Set(telephony.dials.map((dial) => dial.body.call_id)).size).toBe(4);
  });
});
