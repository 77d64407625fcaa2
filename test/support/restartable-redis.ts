import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { findFreePort } from '../../src/redis/embedded-redis';

/** How often the AOF is synced to disk: `always` loses nothing a client was told was written. */
export type AppendFsync = 'always' | 'everysec' | 'no';

const READY_WITHIN_MS = 20_000;

/**
 * A private `redis-server` with AOF on, which a test can kill and start again on the same port
 * and data folder, as an operator restarting Redis would. Not the run's shared test Redis.
 */
export class RestartableRedis {
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    readonly dataDirectory: string,
    private readonly appendFsync: AppendFsync,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(appendFsync: AppendFsync = 'always'): Promise<RestartableRedis> {
    const redis = new RestartableRedis(
      await findFreePort(),
      mkdtempSync(join(tmpdir(), 'outpace-restartable-redis-')),
      appendFsync,
    );
    await redis.restart();

    return redis;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server (again) and resolves once it has loaded its AOF and answers PING. */
  async restart(): Promise<void> {
    if (this.running) {
      throw new Error('redis-server is still running');
    }
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        this.appendFsync,
        '--dir',
        this.dataDirectory,
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));

    await this.waitUntilLoaded();
  }

  /** Kills the server: SIGKILL gives it no chance to flush or rewrite anything. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) {
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
  }

  /** A plain client for the test's own reads; the caller quits it. */
  connect(): Redis {
    return new Redis(this.url, { maxRetriesPerRequest: null });
  }

  private async waitUntilLoaded(): Promise<void> {
    const client = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableReadyCheck: false,
    });
    client.on('error', () => undefined);
    const deadline = Date.now() + READY_WITHIN_MS;

    try {
      while (Date.now() < deadline) {
        if (!this.running) {
          throw new Error('redis-server exited before accepting connections');
        }
        // A server still loading its AOF answers -LOADING; ping rejects until it is done.
        const answered = await client
          .connect()
          .catch(() => undefined)
          .then(() => client.ping())
          .then(
            () => true,
            () => false,
          );
        if (answered) {
          return;
        }
        client.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`redis-server on port ${this.port} not ready within ${READY_WITHIN_MS} ms`);
    } finally {
      client.disconnect();
    }
  }
}
