import { outpaceDispatch } from './dispatch';
import { startApp, startRedis } from './harness';

/** Node and Redis CPU per dial, and the busiest Redis commands, over one dispatch run. */
async function main(): Promise<void> {
  const redis = await startRedis();
  const agents = Number(process.argv[2] ?? 1000);
  const callsPerAgent = Number(process.argv[3] ?? 50);
  await redis.client.config('RESETSTAT');
  const redisCpuBefore = await redisCpu(redis.client.info.bind(redis.client));
  const nodeCpuBefore = process.cpuUsage();
  const result = await outpaceDispatch(redis, () => startApp(redis), { agents, callsPerAgent });
  const nodeCpu = process.cpuUsage(nodeCpuBefore);
  const redisCpuUsed = (await redisCpu(redis.client.info.bind(redis.client))) - redisCpuBefore;
  console.log(`${result.count} dials in ${result.ms} ms`);
  console.log(
    `node CPU ${((nodeCpu.user + nodeCpu.system) / 1000).toFixed(0)} ms (setup included)`,
  );
  console.log(`redis CPU ${(redisCpuUsed * 1000).toFixed(0)} ms (setup included)`);
  const stats = (await redis.client.info('commandstats')) as string;
  const rows = stats
    .split('\n')
    .filter((line) => line.startsWith('cmdstat_'))
    .map((line) => {
      const calls = Number(/calls=(\d+)/.exec(line)?.[1]);
      const usec = Number(/usec=(\d+)/.exec(line)?.[1]);

      return { name: line.split(':')[0], calls, usec };
    })
    .sort((left, right) => right.usec - left.usec)
    .slice(0, 12);
  rows.forEach((row) => console.log(`${row.name} calls=${row.calls} usec=${row.usec}`));
  redis.client.disconnect();
  await redis.server.stop();
}

async function redisCpu(info: (section: string) => Promise<string>): Promise<number> {
  const text = await info('cpu');
  const user = Number(/used_cpu_user:([\d.]+)/.exec(text)?.[1]);
  const system = Number(/used_cpu_sys:([\d.]+)/.exec(text)?.[1]);

  return user + system;
}

void main();
