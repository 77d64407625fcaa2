import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { NestExpressApplication } from '@nestjs/platform-express';
import { API_TOKENS, ApiTokens } from '../auth/api-tokens';
import { requireTokenOrBasicAuth } from '../auth/token-middleware';
import { ServiceQueues } from './service-queues';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Mounts Bull Board with every queue of the service, behind the API tokens, sent as a bearer
 * token or, from a browser, as the Basic auth password.
 */
export function mountBullBoard(app: NestExpressApplication): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: app.get(ServiceQueues).all.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
  });
  app.use(
    BULL_BOARD_PATH,
    requireTokenOrBasicAuth(app.get<ApiTokens>(API_TOKENS)),
    serverAdapter.getRouter(),
  );
}
