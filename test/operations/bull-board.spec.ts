import request from 'supertest';
import { startTestApp, TestApp } from '../support/app';

describe('Bull Board behind the API tokens', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('asks a browser for Basic credentials when no token comes', async () => {
    const response = await request(testApp.app.getHttpServer()).get('/admin/queues');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="Outpace"');
  });

  it('refuses a wrong token as bearer or as Basic password', async () => {
    const server = testApp.app.getHttpServer();
    const wrongBearer = await request(server)
      .get('/admin/queues/api/queues')
      .set('Authorization', 'Bearer not-the-token');
    const wrongBasic = await request(server)
      .get('/admin/queues/api/queues')
      .set('Authorization', basic('admin', 'not-the-token'));

    expect(wrongBearer.status).toBe(401);
    expect(wrongBasic.status).toBe(401);
  });

  it('lists every queue to a bearer token and to Basic auth with the token as password', async () => {
    const server = testApp.app.getHttpServer();
    const bearer = await testApp.api().get('/admin/queues/api/queues');
    const viaBasic = await request(server)
      .get('/admin/queues/api/queues')
      .set('Authorization', basic('anyone', testApp.token));

    expect(bearer.status).toBe(200);
    expect(viaBasic.status).toBe(200);
    expect(bearer.body.queues.map((queue: { name: string }) => queue.name)).toEqual([
      'pacing-wake',
    ]);
  });
});
