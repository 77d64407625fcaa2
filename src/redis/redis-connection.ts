import { Cluster, Redis, RedisOptions } from 'ioredis';
import { Environment } from '../environment/environment';

export type RedisClient = Redis | Cluster;

/**
 * Opens a connection as the environment says: a cluster when `REDIS_CLUSTER_NODES` is set, else
 * `REDIS_URL`. `blocking` connections (BullMQ workers) retry forever instead of failing commands.
 */
export function connectRedis(
  environment: Environment,
  options: { blocking: boolean },
): RedisClient {
  const shared: RedisOptions = {
    maxRetriesPerRequest: options.blocking ? null : 2,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
  if (environment.redisClusterNodes) {
    return new Cluster(
      environment.redisClusterNodes.map((node) => {
        const [host, port] = node.split(':');

        return { host, port: Number(port) };
      }),
      { redisOptions: shared, enableOfflineQueue: true },
    );
  }
  if (!environment.redisUrl) {
    throw new Error('No Redis to connect to: the embedded server was not started');
  }

  return new Redis(environment.redisUrl, shared);
}
