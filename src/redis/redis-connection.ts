import { Cluster, Redis, RedisOptions } from 'ioredis';
import { Environment } from '../environment/environment';

export type RedisClient = Redis | Cluster;

/**
 * What a connection is for, which decides how it behaves when Redis goes away:
 * - `commands`: the service's shared connection. Commands issued in one tick go out in one write
 *   (auto-pipelining); once connected, a lost connection fails new commands at once, so that the
 *   API answers 503 instead of hanging.
 * - `queue`: a BullMQ Queue's connection, failing fast the same way but without auto-pipelining,
 *   which BullMQ's own scripts do not expect.
 * - `worker`: a BullMQ Worker's blocking connection: it keeps every command and retries forever,
 *   so that workers recover by themselves when Redis is back.
 */
export type ConnectionKind = 'commands' | 'queue' | 'worker';

/**
 * Opens a connection as the environment says: a cluster when `REDIS_CLUSTER_NODES` is set, else
 * `REDIS_URL`.
 */
export function connectRedis(environment: Environment, kind: ConnectionKind): RedisClient {
  const blocking = kind === 'worker';
  const shared: RedisOptions = {
    maxRetriesPerRequest: blocking ? null : 2,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    enableAutoPipelining: kind === 'commands',
  };
  if (environment.redisClusterNodes) {
    return new Cluster(
      environment.redisClusterNodes.map((node) => {
        const [host, port] = node.split(':');

        return { host, port: Number(port) };
      }),
      { redisOptions: shared, enableOfflineQueue: true, enableAutoPipelining: kind === 'commands' },
    );
  }
  if (!environment.redisUrl) {
    throw new Error('No Redis to connect to: the embedded server was not started');
  }

  const client = new Redis(environment.redisUrl, shared);
  if (!blocking) {
    failFastOnceConnected(client);
  }

  return client;
}

/**
 * Commands wait for the first connection, so that nothing issued while the service starts fails.
 * Once connected, a lost connection fails new commands at once instead of holding them until
 * Redis is back; commands already sent fail after `maxRetriesPerRequest` reconnection attempts.
 */
function failFastOnceConnected(client: Redis): void {
  client.once('ready', () => {
    client.options.enableOfflineQueue = false;
  });
}
