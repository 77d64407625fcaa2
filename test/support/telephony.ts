import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DialRequest } from '../../src/dialer/dialer-driver';

export interface ReceivedDial {
  body: DialRequest;
  authorization: string | undefined;
  /** Local clock when the dial arrived (ms). */
  receivedAt: number;
}

/** How the fake telephony side answers a dial: an HTTP status. */
export type DialResponder = (dial: DialRequest, index: number) => number;

/**
 * A small HTTP server playing the telephony side: records every dial it receives and answers
 * with the status the test chooses (202 by default).
 */
export class FakeTelephony {
  readonly dials: ReceivedDial[] = [];
  responder: DialResponder = () => 202;
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeTelephony> {
    const server = createServer();
    const telephony = new FakeTelephony(server);
    server.on('request', (request, response) => {
      void readBody(request).then((text) => {
        const body = JSON.parse(text) as DialRequest;
        const index = telephony.dials.length;
        telephony.dials.push({
          body,
          authorization: request.headers.authorization,
          receivedAt: Date.now(),
        });
        response.writeHead(telephony.responder(body, index)).end('{}');
        telephony.notify();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    return telephony;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/dial`;
  }

  dialsOf(callId: string): ReceivedDial[] {
    return this.dials.filter((dial) => dial.body.call_id === callId);
  }

  /** Resolves once `count` dials have arrived; rejects after `timeoutMs`. */
  waitForDials(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.dials.length >= count) {
      return Promise.resolve();
    }

    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} dials, got ${this.dials.length}`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (this.dials.length >= waiter.count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
