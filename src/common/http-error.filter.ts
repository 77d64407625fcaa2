import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Response } from 'express';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { DomainError, InvalidRequestError } from './domain-errors';
import { ErrorBody, errorBody, unreadableBody } from './error-body';

/** What a 503 tells the client to wait before trying again. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Turns every error into the one error shape. Nothing internal leaves the service: an unexpected
 * error is logged whole with an id, and the client gets a generic 500 that quotes the id. While
 * Redis cannot be reached, requests get 503 with a Retry-After header instead.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(error);

    if (!response.headersSent) {
      if (body.statusCode === 503) {
        response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      }
      response.status(body.statusCode).json(body);
    }
  }

  private toBody(error: unknown): ErrorBody {
    if (error instanceof InvalidRequestError) {
      return errorBody(400, 'The request is invalid.', error.details);
    }
    if (error instanceof DomainError) {
      return errorBody(error.statusCode, error.message);
    }
    if (error instanceof HttpException) {
      return this.fromHttpException(error);
    }
    const unreadable = unreadableBody(error);
    if (unreadable) {
      return unreadable;
    }
    if (isRedisUnavailable(error)) {
      this.logger.warn({ err: error }, 'Redis unavailable: request answered 503');

      return errorBody(503, 'The service cannot reach its data store (Redis); try again shortly.');
    }
    const errorId = randomUUID();
    this.logger.error({ errorId, err: error }, 'unexpected error');

    return errorBody(500, `Internal error (id ${errorId}).`);
  }

  /** Raised on purpose by the service or Nest, so their messages are safe to show. */
  private fromHttpException(error: HttpException): ErrorBody {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? String((response as { message: unknown }).message)
        : error.message;

    return errorBody(status, message);
  }
}
