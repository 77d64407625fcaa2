import { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, RequestHandler, Response } from 'express';
import { errorBody } from '../common/error-body';
import { REDIS } from '../redis/redis.module';
import { RedisClient } from '../redis/redis-connection';
import { RedisKeys } from '../redis/redis-keys';
import { API_TOKENS, ApiTokens, credentialOf } from './api-tokens';

/** Length of one counting window, in milliseconds. */
const WINDOW_MS = 60_000;

/** Paths that answer without a token are not counted either: orchestrators poll them. */
const UNCOUNTED_PATHS = new Set(['/health']);

/** What the limiter decided for one request. */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until the token's window ends and it may send again (at least 1). */
  retryAfterSeconds: number;
}

/**
 * Counts each token's requests in Redis, so that every API process shares one count: a fixed
 * window of a minute that opens at the token's first request, on Redis's clock. Tokens are named
 * by their SHA-256 digest, never by their text.
 */
export class RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    readonly limitPerMinute: number,
  ) {}

  async take(tokenName: string): Promise<RateDecision> {
    const key = `${this.keyPrefix}:rate-limit:${tokenName}`;
    // One round trip, one transaction: PEXPIRE NX gives the key its window only when it has
    // none, so a counter can never be left without an expiry (Redis 7 or later).
    const replies = await this.redis
      .multi()
      .incr(key)
      .pexpire(key, WINDOW_MS, 'NX')
      .pttl(key)
      .exec();
    const [count, , remainingMs] = (replies ?? []).map(([error, reply]) => {
      if (error) {
        throw error;
      }

      return Number(reply);
    });

    return {
      allowed: count <= this.limitPerMinute,
      retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)),
    };
  }
}

/**
 * Mounts the per-token limit in front of every route, Nest's and the pages alike, and before the
 * body is parsed, so that a refused request costs one Redis command. A limit of 0 mounts nothing.
 */
export function mountRateLimit(app: NestExpressApplication, limitPerMinute: number): void {
  if (limitPerMinute === 0) {
    return;
  }
  const limiter = new RateLimiter(
    app.get<RedisClient>(REDIS),
    app.get(RedisKeys).prefix,
    limitPerMinute,
  );
  app.use(limitRate(limiter, app.get<ApiTokens>(API_TOKENS)));
}

function limitRate(limiter: RateLimiter, tokens: ApiTokens): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    // Only accepted tokens are counted: counting wrong ones would let anyone fill Redis with
    // counters. A wrong or missing token goes on to get its 401.
    const tokenName = UNCOUNTED_PATHS.has(request.path)
      ? null
      : tokens.identify(credentialOf(request.headers.authorization, true));
    if (tokenName === null) {
      next();

      return;
    }
    limiter.take(tokenName).then(
      (decision) => {
        if (decision.allowed) {
          next();

          return;
        }
        response
          .status(429)
          .set('Retry-After', String(decision.retryAfterSeconds))
          .json(
            errorBody(
              429,
              `Too many requests: this token may send ${limiter.limitPerMinute} a minute.`,
            ),
          );
      },
      // Without Redis nothing can be counted; the request goes on and meets the outage itself
      // (routes that need Redis answer 503) rather than being refused for a limit nobody knows.
      () => next(),
    );
  };
}
