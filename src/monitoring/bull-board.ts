import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, RequestHandler, Response } from 'express';
import { API_TOKENS, ApiTokens, credentialOf } from '../auth/api-tokens';
import { ServiceQueues } from './service-queues';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Mounts Bull Board with every queue of the service, behind the API tokens. A browser cannot
 * send a bearer token, so the board also takes the token as the password of HTTP Basic auth
 * (any user name) and answers 401 with a Basic challenge so that the browser asks for it.
 */
export function mountBullBoard(app: NestExpressApplication): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: app.get(ServiceQueues).all.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
  });
  app.use(BULL_BOARD_PATH, requireToken(app.get<ApiTokens>(API_TOKENS)), serverAdapter.getRouter());
}

function requireToken(tokens: ApiTokens): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (tokens.accepts(credentialOf(request.headers.authorization, true))) {
      next();

      return;
    }
    response.status(401).set('WWW-Authenticate', 'Basic realm="Outpace"').json({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'A valid token is required, as a bearer token or the Basic auth password.',
      details: [],
    });
  };
}
