import request from 'supertest';
import { startTestApp, TestApp } from '../support/app';

describe('health and authentication', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers /health without a token while Redis answers', async () => {
    const response = await request(testApp.app.getHttpServer()).get('/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('refuses a missing and a wrong token with the same 401 body', async () => {
    const server = testApp.app.getHttpServer();
    const path = '/outbound/agents/1b4e28ba-2fa1-41d2-883f-0016d3cca427/outbound-config';

    const missing = await request(server).get(path);
    const wrong = await request(server).get(path).set('Authorization', 'Bearer not-the-token');

    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(missing.body);
    expect(missing.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'A valid bearer token is required.',
      details: [],
    });
  });

  it('serves the OpenAPI document', async () => {
    const response = await testApp.api().get('/docs-json');

    expect(response.status).toBe(200);
    expect(response.body.info.title).toBe('Outpace');
  });
});
