import { EmbeddedRedis } from '../../src/redis/embedded-redis';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { outpaceTestRedis?: EmbeddedRedis }).outpaceTestRedis?.stop();
}
