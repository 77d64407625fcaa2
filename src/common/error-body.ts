import { STATUS_CODES } from 'node:http';
import { FieldProblem } from './domain-errors';

/** The one shape of every error the service answers with. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: FieldProblem[];
}

export function errorBody(
  statusCode: number,
  message: string,
  details: FieldProblem[] = [],
): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, details };
}

/** Errors raised by Express's body parser before a request reaches a controller. */
interface BodyParserError {
  type?: string;
  status?: number;
}

/** The answer to a body the parser could not read; null for any other error. */
export function unreadableBody(error: unknown): ErrorBody | null {
  const parserError = error as BodyParserError | null;
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

  return null;
}
