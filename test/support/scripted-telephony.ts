import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { DialRequest } from '../../src/dialer/dialer-driver';
import { findFreePort } from '../../src/redis/embedded-redis';

/** How the telephony side treats one dial: answers with an HTTP status, or never answers. */
export type DialTreatment = number | 'silent';

export interface ScriptedDial {
  body: DialRequest;
  /** Local clock when the dial arrived (ms). */
  receivedAt: number;
}

/**
 * The telephony side on a fixed loopback port, whose behaviour a test scripts per dial: answer
 * with a status, hold the request without answering, or not listen at all (connection refused).
 */
export class ScriptedTelephony {
  readonly dials: ScriptedDial[] = [];
  /** Decides each dial's treatment; 202 unless the test says otherwise. */
  treat: (dial: DialRequest) => DialTreatment = () => 202;
  private server: Server | null = null;
  private readonly held = new Set<ServerResponse>();

  private constructor(readonly port: number) {}

  static async start(): Promise<ScriptedTelephony> {
    const telephony = new ScriptedTelephony(await findFreePort());
    await telephony.listen();

    return telephony;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/dial`;
  }

  dialsOf(callId: string): ScriptedDial[] {
    return this.dials.filter((dial) => dial.body.call_id === callId);
  }

  /** Starts accepting connections again on the same port. */
  async listen(): Promise<void> {
    if (this.server) {
      return;
    }
    const server = createServer((request, response) => this.receive(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Stops listening: every dial from now on meets a refused connection. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    this.server = null;
    for (const response of this.held) {
      response.destroy();
    }
    this.held.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DialRequest;
      this.dials.push({ body, receivedAt: Date.now() });
      const treatment = this.treat(body);
      if (treatment === 'silent') {
        this.held.add(response);
        response.on('close', () => this.held.delete(response));

        return;
      }
      response.writeHead(treatment, { 'Content-Type': 'application/json' }).end('{}');
    });
  }
}
