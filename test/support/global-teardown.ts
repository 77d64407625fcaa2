import { TestRedisHandle } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as TestRedisHandle).outpaceTestRedis?.stop();
}
