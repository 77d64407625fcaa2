import { existsSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { Browser, chromium, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';

/** Debian's chromium; `.ci/run` installs it. No browser is ever downloaded. */
const CHROMIUM = '/usr/bin/chromium';

/** Messages of the browser console that report something the page's CSP refused. */
function policyViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) {
      violations.push(message.text());
    }
  });

  return violations;
}

describe('Bull Board and the API docs in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install it with "apt-get install -y chromium"`);
    }
    testApp = await startTestApp();
    await testApp.app.listen(0, '127.0.0.1');
    const { port } = testApp.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    // launch() gives the browser a fresh temporary profile of its own (--user-data-dir).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('logs in with Basic auth, the token as password, and lists the queues', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: 'admin', password: testApp.token },
    });
    const page = await context.newPage();
    const refusedByPolicy = policyViolations(page);

    const response = await page.goto(`${baseUrl}/admin/queues`);

    expect(response?.status()).toBe(200);
    await page.getByText('pacing-wake').first().waitFor({ timeout: 15_000 });
    expect(refusedByPolicy).toEqual([]);
    await context.close();
  }, 30_000);

  it('renders the API docs under their content security policy', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: 'admin', password: testApp.token },
    });
    const page = await context.newPage();
    const refusedByPolicy = policyViolations(page);

    const response = await page.goto(`${baseUrl}/docs`);

    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByText('/outbound/dnc/{phone_number}').first().waitFor({ timeout: 15_000 });
    expect(refusedByPolicy).toEqual([]);
    await context.close();
  }, 30_000);

  it('answers 401 with a Basic challenge to a browser without the token', async () => {
    const context = await browser.newContext();

    // A headless page has nobody to answer the login prompt, so the request is made directly.
    const response = await context.request.get(`${baseUrl}/admin/queues`);

    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toBe('Basic realm="Outpace"');
    await context.close();
  });
});
