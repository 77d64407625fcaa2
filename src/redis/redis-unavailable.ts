/** Messages of ioredis and Redis errors that mean "no Redis now", not "this request is wrong". */
const REDIS_UNAVAILABLE_MESSAGES = [
  'Connection is closed.',
  "Stream isn't writeable",
  "Cluster isn't ready",
  'None of startup nodes is available',
  'LOADING ',
  'MASTERDOWN ',
  'CLUSTERDOWN ',
  'TRYAGAIN ',
];

/** System error codes of a connection to Redis that failed or dropped. */
const CONNECTION_ERROR_CODES = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'];

/**
 * Whether an error means that Redis cannot be reached, or cannot serve yet (still loading its
 * data after a restart): the request was fine, the service is unavailable for a moment.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  const code = (error as { code?: unknown }).code;
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ClusterAllFailedError') {
    return true;
  }
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.includes(code)) {
    return true;
  }

  return REDIS_UNAVAILABLE_MESSAGES.some((message) => error.message.startsWith(message));
}
