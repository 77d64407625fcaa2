import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Response } from 'express';
import { DomainError, InvalidRequestError } from './domain-errors';
import { ErrorBody, errorBody } from './error-body';

/** Errors raised by Express's body parser before a request reaches a controller. */
interface BodyParserError {
  type?: string;
  status?: number;
}

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
    const parserError = error as BodyParserError;
    if (parserError?.type === 'entity.parse.failed') {
      return errorBody(400, 'The body is not valid JSON.', [
        { field: 'body', problem: 'must be valid JSON' },
      ]);
    }
    if (parserError?.type === 'entity.too.large') {
      return errorBody(413, 'The body is larger than the service accepts.');
    }
    if (typeof parserError?.status === 'number' && parserError.status < 500) {
      return errorBody(parserError.status, 'The request could not be read.');
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
