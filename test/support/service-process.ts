import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { findFreePort } from '../../src/redis/embedded-redis';

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  /** Everything the process wrote, for the assertion message when it misbehaves. */
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

const ROOT = join(__dirname, '..', '..');

/**
 * Runs the real service (`src/main.ts`) as a separate process with the given environment, and
 * resolves once it listens. Used where a test needs several processes on one Redis.
 */
export async function startServiceProcess(
  variables: Record<string, string>,
): Promise<ServiceProcess> {
  const port = await findFreePort();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--swc', 'src/main.ts'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ...variables, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), 20_000);
    const check = () => {
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then(() => reject(new Error(`service exited before listening:\n${output}`)));
  });

  return {
    child,
    port,
    output: () => output,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }

      return exited;
    },
  };
}
