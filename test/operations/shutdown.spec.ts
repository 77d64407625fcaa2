import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { callee, configurationBody } from '../support/configurations';
import { testRedisUrl, uniquePrefix } from '../support/redis';

const ROOT = join(__dirname, '..', '..');

describe('shutdown', () => {
  it('exits 0 within 10 s of SIGTERM, after answering a request in flight', async () => {
    const port = await freePort();
    const token = randomBytes(24).toString('base64url');
    const service = spawn(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), '--swc', 'src/main.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          REDIS_URL: testRedisUrl(),
          REDIS_KEY_PREFIX: uniquePrefix('shutdown'),
          PORT: String(port),
          API_TOKENS: token,
          DATA_DIR: mkdtempSync(join(tmpdir(), 'outpace-shutdown-')),
          LOG_LEVEL: 'error',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const output: string[] = [];
    service.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    service.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));

    await waitForOutput(service, output, 'listening on', 20_000);
    const api = request(`http://127.0.0.1:${port}`);
    const agentId = randomUUID();
    const configured = await api
      .post(`/outbound/agents/${agentId}/outbound-config`)
      .set('Authorization', `Bearer ${token}`)
      .send(configurationBody(agentId));
    expect(configured.status).toBe(200);

    // A batch of 500 takes a second or two to queue: still in flight when the signal comes.
    const calls = Array.from({ length: 500 }, (_, index) => ({ to_number: callee(index) }));
    const inFlight = api
      .post(`/outbound/agents/${agentId}/calls/batch`)
      .set('Authorization', `Bearer ${token}`)
      .send({ calls })
      .then((response) => response.status);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const signalledAt = Date.now();
    service.kill('SIGTERM');
    const code = await exitCodeOf(service, 12_000);

    expect(await inFlight).toBe(202);
    expect({ code, output: output.join('') }).toMatchObject({ code: 0 });
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
  }, 40_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function waitForOutput(
  child: ChildProcess,
  output: string[],
  text: string,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no "${text}" within ${timeoutMs} ms: ${output.join('')}`));
    }, timeoutMs);
    const check = () => {
      if (output.join('').includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', () => reject(new Error(`exited early: ${output.join('')}`)));
    check();
  });
}

function exitCodeOf(child: ChildProcess, timeoutMs: number): Promise<number | string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('still running');
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
}
