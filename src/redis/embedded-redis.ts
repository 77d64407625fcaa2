import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, Socket } from 'node:net';

/** Thrown when no `redis-server` binary can be found on the PATH. */
export class RedisBinaryMissingError extends Error {
  constructor() {
    super(
      'No redis-server binary found. Install one (Debian/Ubuntu: apt-get install redis-server; ' +
        'macOS: brew install redis) or set REDIS_URL to an existing Redis.',
    );
  }
}

export interface EmbeddedRedisOptions {
  /** Folder for the append-only file; created when missing. */
  dataDirectory: string;
  /** Append-only persistence; on for the service, off for throwaway test servers. */
  appendOnly: boolean;
  /** Further `redis-server` options, such as those of a cluster node. */
  serverArguments?: string[];
}

/**
 * A private `redis-server` child bound to a free loopback port.
 * It lives as long as this process: `stop()` shuts it down, and so does this process's exit.
 */
export class EmbeddedRedis {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
    if (spawnSync('redis-server', ['--version']).error) {
      throw new RedisBinaryMissingError();
    }
    mkdirSync(options.dataDirectory, { recursive: true });
    const port = await findFreePort();
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        options.appendOnly ? 'yes' : 'no',
        '--dir',
        options.dataDirectory,
        '--loglevel',
        'warning',
        ...(options.serverArguments ?? []),
      ],
      { stdio: 'ignore' },
    );
    const stopOnExit = () => child.kill('SIGTERM');
    process.once('exit', stopOnExit);
    child.once('exit', () => process.removeListener('exit', stopOnExit));

    await waitForPort(port, child);

    return new EmbeddedRedis(child, port);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return;
    }
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;

  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `redis-server exited with code ${child.exitCode} before accepting connections`,
      );
    }
    if (await answersPing(port)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not accept connections on port ${port} within 10 s`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('error', () => finish(false));
    socket.once('data', (chunk) => finish(chunk.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}
