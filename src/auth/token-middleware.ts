import { NextFunction, Request, RequestHandler, Response } from 'express';
import { errorBody } from '../common/error-body';
import { ApiTokens, credentialOf } from './api-tokens';

/**
 * Guards pages served outside Nest's routing (Bull Board, the API docs) with the API tokens. A
 * browser cannot send a bearer token, so these also take the token as the password of HTTP Basic
 * auth (any user name) and answer 401 with a Basic challenge so that the browser asks for it.
 */
export function requireTokenOrBasicAuth(tokens: ApiTokens): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (tokens.accepts(credentialOf(request.headers.authorization, true))) {
      next();

      return;
    }
    response
      .status(401)
      .set('WWW-Authenticate', 'Basic realm="Outpace"')
      .json(
        errorBody(401, 'A valid token is required, as a bearer token or the Basic auth password.'),
      );
  };
}
