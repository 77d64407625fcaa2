import request from 'supertest';
import { startTestApp, TestApp } from '../support/app';

describe('roles', () => {
  let worker: TestApp;

  beforeAll(async () => {
    worker = await startTestApp({ ROLE: 'worker' });
  });

  afterAll(async () => {
    await worker.close();
  });

  it('a worker answers /health without a token and /metrics with one', async () => {
    const server = worker.app.getHttpServer();

    expect((await request(server).get('/health')).status).toBe(200);
    const metrics = await worker.api().get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('outpace_queue_jobs');
  });

  it('a worker serves no API, no docs and no board, even with a token', async () => {
    const agentPath = '/outbound/agents/1b4e28ba-2fa1-41d2-883f-0016d3cca427/outbound-config';

    for (const path of [agentPath, '/outbound/dnc', '/docs-json', '/admin/queues']) {
      expect((await worker.api().get(path)).status).toBe(404);
    }
  });
});
