import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type Role = 'all' | 'api' | 'worker';
export type DialerDriverName = 'simulated' | 'http';

/** Everything the service reads from its environment, validated once at start. */
export interface Environment {
  port: number;
  /** `redis://` or `rediss://` URL; null starts an embedded redis-server. */
  redisUrl: string | null;
  /** `host:port` seeds of a Redis Cluster; null when not clustered. */
  redisClusterNodes: string[] | null;
  /** Prefix of every Redis key this service writes. */
  redisKeyPrefix: string;
  role: Role;
  /** Bearer tokens with full access; null means one is generated and kept in `dataDirectory`. */
  apiTokens: string[] | null;
  dialerDriver: DialerDriverName;
  dialerUrl: string | null;
  dialerToken: string | null;
  publicUrl: string;
  /** Range of simulated call durations, in seconds. */
  simulatedCallSeconds: { min: number; max: number };
  dataDirectory: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Most requests one token may send a minute, across every process; 0 means no limit. */
  rateLimitPerMinute: number;
}

/** A variable holds a value the service cannot start with. */
export class EnvironmentError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

type Variables = Record<string, string | undefined>;

/** The environment of this process: the one place where the service reads `process.env`. */
export function readProcessEnvironment(): Environment {
  return readEnvironment(process.env);
}

export function readEnvironment(variables: Variables): Environment {
  const port = readInteger(variables, 'PORT', 3000, 1, 65535);
  const dialerDriver = readChoice(variables, 'DIALER_DRIVER', ['simulated', 'http'], 'simulated');
  const dialerUrl = readUrl(variables, 'DIALER_URL', ['http:', 'https:']);
  if (dialerDriver === 'http' && !dialerUrl) {
    throw new EnvironmentError('DIALER_URL', 'required when DIALER_DRIVER is http');
  }

  return {
    port,
    redisUrl: readUrl(variables, 'REDIS_URL', ['redis:', 'rediss:']),
    redisClusterNodes: readClusterNodes(variables),
    redisKeyPrefix: readKeyPrefix(variables),
    role: readChoice(variables, 'ROLE', ['all', 'api', 'worker'], 'all'),
    apiTokens: readTokens(variables),
    dialerDriver,
    dialerUrl,
    dialerToken: blankToNull(variables.DIALER_TOKEN),
    publicUrl: (
      readUrl(variables, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://127.0.0.1:${port}`
    ).replace(/\/+$/, ''),
    simulatedCallSeconds: readRange(variables, 'SIMULATED_CALL_SECONDS', { min: 5, max: 30 }),
    dataDirectory: resolve(blankToNull(variables.DATA_DIR) ?? 'data'),
    logLevel: readChoice(variables, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    rateLimitPerMinute: readInteger(variables, 'RATE_LIMIT_PER_MINUTE', 6000, 0, 1_000_000_000),
  };
}

/**
 * The tokens the API accepts: `API_TOKENS` when set, else one generated on the first start and
 * kept in the data folder so that it survives restarts. `generated` tells the caller to print it.
 */
export function resolveApiTokens(environment: Environment): {
  tokens: string[];
  generated: boolean;
} {
  if (environment.apiTokens) {
    return { tokens: environment.apiTokens, generated: false };
  }
  const file = join(environment.dataDirectory, 'api-token');
  if (existsSync(file)) {
    return { tokens: [readFileSync(file, 'utf8').trim()], generated: false };
  }
  mkdirSync(environment.dataDirectory, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });

  return { tokens: [token], generated: true };
}

function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim();

  return trimmed ? trimmed : null;
}

function readInteger(
  variables: Variables,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = blankToNull(variables[name]);
  if (text === null) {
    return fallback;
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EnvironmentError(name, `must be an integer from ${min} to ${max}, got "${text}"`);
  }

  return value;
}

function readChoice<T extends string>(
  variables: Variables,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = blankToNull(variables[name]);
  if (text === null) {
    return fallback;
  }
  if (!choices.includes(text as T)) {
    throw new EnvironmentError(name, `must be one of ${choices.join(', ')}, got "${text}"`);
  }

  return text as T;
}

function readUrl(variables: Variables, name: string, protocols: string[]): string | null {
  const text = blankToNull(variables[name]);
  if (text === null) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EnvironmentError(name, 'is not a valid URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new EnvironmentError(
      name,
      `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );
  }

  return text;
}

function readClusterNodes(variables: Variables): string[] | null {
  const text = blankToNull(variables.REDIS_CLUSTER_NODES);
  if (text === null) {
    return null;
  }
  const nodes = text.split(',').map((node) => node.trim());
  for (const node of nodes) {
    if (!/^[\w.-]+:\d{1,5}$/.test(node)) {
      throw new EnvironmentError('REDIS_CLUSTER_NODES', `"${node}" is not host:port`);
    }
  }

  return nodes;
}

function readKeyPrefix(variables: Variables): string {
  const text = blankToNull(variables.REDIS_KEY_PREFIX) ?? 'outpace';
  if (!/^[\w.-]{1,64}$/.test(text)) {
    throw new EnvironmentError('REDIS_KEY_PREFIX', 'must be 1-64 letters, digits, ".", "_" or "-"');
  }

  return text;
}

function readTokens(variables: Variables): string[] | null {
  const text = blankToNull(variables.API_TOKENS);
  if (text === null) {
    return null;
  }
  const tokens = text.split(',').map((token) => token.trim());
  if (tokens.some((token) => token.length < 16)) {
    throw new EnvironmentError('API_TOKENS', 'every token must be at least 16 characters long');
  }

  return tokens;
}

function readRange(
  variables: Variables,
  name: string,
  fallback: { min: number; max: number },
): { min: number; max: number } {
  const text = blankToNull(variables[name]);
  if (text === null) {
    return fallback;
  }
  const match = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(text);
  const min = match ? Number(match[1]) : NaN;
  const max = match?.[2] !== undefined ? Number(match[2]) : min;
  if (!match || max < min || max > 86400) {
    throw new EnvironmentError(name, `must be "seconds" or "min-max" seconds, got "${text}"`);
  }

  return { min, max };
}
