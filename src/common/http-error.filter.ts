import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Response } from 'express';
import { DomainError, InvalidRequestError } from './domain-errors';
import { ErrorBody, errorBody, unreadableBody } from './error-body';

/**
 * Turns every error into the one error shape. Nothing internal leaves the service: an unexpected
 * error is logged whole with an id, and the client gets a generic 500 that quotes the id.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(error);

    if (!response.headersSent) {
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
