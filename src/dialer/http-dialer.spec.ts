import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { readEnvironment } from '../environment/environment';
import { EnvironmentModule } from '../environment/environment.module';
import { DIALER_DRIVER, DialRequest } from './dialer-driver';
import { DialerModule } from './dialer.module';
import { dialBackoffMs, DIAL_TIMEOUT_MS, HttpDialer, MAX_UNREACHABLE_DIALS } from './http-dialer';
import { SimulatedCallReporter } from './simulated-dialer';

const SHORT_TIMEOUT_MS = 200;

const DIAL: DialRequest = {
  call_id: '0b6a3c52-5d8e-4f0f-9a57-2f1d6c1e9a10',
  agent_id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
  to_number: '+12125550100',
  from_number: '+13125550199',
  display_name: 'Acme Clinic',
  context: { patient: 'P-17', reminder: true },
  priority: 'high',
  ringing_timeout_seconds: 30,
  max_call_duration_seconds: 600,
  callback_url: 'http://127.0.0.1:3000/outbound/calls/0b6a3c52-5d8e-4f0f-9a57-2f1d6c1e9a10/events',
};

interface ReceivedDial {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/**
 * The telephony side, played by a real HTTP server: `/answer/<status>` answers with that status,
 * `/silent` never answers.
 */
class TelephonySide {
  readonly received: ReceivedDial[] = [];
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.received.push({
        method: request.method,
        path: request.url,
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      const status = /^\/answer\/(\d{3})$/.exec(request.url ?? '')?.[1];
      if (status) {
        response.writeHead(Number(status), { 'Content-Type': 'application/json' });
        response.end('{"ok":true}');
      }
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path: string): string {
    const { port } = this.server.address() as AddressInfo;

    return `http://127.0.0.1:${port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A loopback URL on which nothing listens. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));

  return `http://127.0.0.1:${port}/dial`;
}

describe('HttpDialer', () => {
  const telephony = new TelephonySide();
  let warnings: jest.SpyInstance;

  beforeAll(async () => {
    await telephony.start();
  });

  afterAll(async () => {
    await telephony.stop();
  });

  beforeEach(() => {
    telephony.received.length = 0;
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  function dialerAnswering(path: string, token: string | null = 'dialer-secret'): HttpDialer {
    return new HttpDialer({ url: telephony.url(path), token }, SHORT_TIMEOUT_MS);
  }

  it('posts every field of the dial as JSON with the bearer token, and a 200 places the call', async () => {
    const answer = await dialerAnswering('/answer/200').dial(DIAL);

    expect(answer).toBe('placed');
    expect(telephony.received).toHaveLength(1);
    const [received] = telephony.received;
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/answer/200');
    expect(received.headers.authorization).toBe('Bearer dialer-secret');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.body).toEqual({
      call_id: DIAL.call_id,
      agent_id: DIAL.agent_id,
      to_number: '+12125550100',
      from_number: '+13125550199',
      display_name: 'Acme Clinic',
      context: { patient: 'P-17', reminder: true },
      priority: 'high',
      ringing_timeout_seconds: 30,
      max_call_duration_seconds: 600,
      callback_url: DIAL.callback_url,
    });
    expect(warnings).not.toHaveBeenCalled();
  });

  it('sends no Authorization header when no token is configured', async () => {
    const answer = await dialerAnswering('/answer/201', null).dial(DIAL);

    expect(answer).toBe('placed');
    expect(telephony.received[0].headers).not.toHaveProperty('authorization');
  });

  it.each([404, 422])('takes a %i as a rejected dial', async (status) => {
    expect(await dialerAnswering(`/answer/${status}`).dial(DIAL)).toBe('rejected');
  });

  it.each([500, 503, 429])('takes a %i as an unreachable telephony side', async (status) => {
    expect(await dialerAnswering(`/answer/${status}`).dial(DIAL)).toBe('unreachable');
  });

  it('takes a redirect as an unreachable telephony side, without following it', async () => {
    expect(await dialerAnswering('/answer/307').dial(DIAL)).toBe('unreachable');
    expect(telephony.received).toHaveLength(1);
  });

  it('takes a refused connection as an unreachable telephony side', async () => {
    const dialer = new HttpDialer({ url: await closedPortUrl(), token: null }, SHORT_TIMEOUT_MS);

    expect(await dialer.dial(DIAL)).toBe('unreachable');
    expect(String(warnings.mock.calls[0][0])).toContain('reason="ECONNREFUSED"');
  });

  it('gives up on a telephony side that never answers once the timeout has passed', async () => {
    const started = Date.now();

    const answer = await dialerAnswering('/silent').dial(DIAL);

    expect(answer).toBe('unreachable');
    expect(Date.now() - started).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 10);
    expect(Date.now() - started).toBeLessThan(SHORT_TIMEOUT_MS + 1000);
  });

  it('waits 10 seconds for an answer unless told otherwise', () => {
    expect(DIAL_TIMEOUT_MS).toBe(10_000);
  });

  it('logs one line per unplaced dial with its call id and status, and the number masked', async () => {
    await dialerAnswering('/answer/422').dial(DIAL);

    expect(warnings).toHaveBeenCalledTimes(1);
    const line = String(warnings.mock.calls[0][0]);
    expect(line).toContain(`call_id=${DIAL.call_id}`);
    expect(line).toContain('status=422');
    expect(line).toContain('to_number=+1********00');
    expect(line).not.toContain('2125550100');
  });
});

describe('dialBackoffMs', () => {
  it('waits 1 s after the first unreachable dial and doubles the wait after each further one', () => {
    expect([1, 2, 3, 4, 5, 6].map(dialBackoffMs)).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
  });

  it('never waits more than 60 s', () => {
    expect(dialBackoffMs(7)).toBe(60_000);
    expect(dialBackoffMs(MAX_UNREACHABLE_DIALS)).toBe(60_000);
    expect(dialBackoffMs(1000)).toBe(60_000);
  });

  it('retries an unreachable dial ten times at most', () => {
    expect(MAX_UNREACHABLE_DIALS).toBe(10);
  });
});

describe('DialerModule with DIALER_DRIVER=http', () => {
  class UnusedReporter implements SimulatedCallReporter {
    async report(): Promise<void> {}
  }

  it('provides an HttpDialer that posts to DIALER_URL', async () => {
    const environment = readEnvironment({
      DIALER_DRIVER: 'http',
      DIALER_URL: 'http://127.0.0.1:9/dial',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        EnvironmentModule.forRoot(environment),
        DialerModule.register({ reporter: UnusedReporter }),
      ],
    }).compile();

    expect(moduleRef.get(DIALER_DRIVER)).toBeInstanceOf(HttpDialer);
    await moduleRef.close();
  });
});
