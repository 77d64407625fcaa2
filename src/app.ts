import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { API_TOKENS, ApiTokens } from './auth/api-tokens';
import { mountRateLimit } from './auth/rate-limit';
import { requireTokenOrBasicAuth } from './auth/token-middleware';
import { unreadableBody } from './common/error-body';
import { securityHeaders } from './common/security-headers';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation';
import { Environment } from './environment/environment';
import { BULL_BOARD_PATH, mountBullBoard } from './monitoring/bull-board';

/** Largest request body: a configuration of 1,000 numbers with 8 KiB of metadata each fits. */
export const BODY_LIMIT = '12mb';

/** Where the OpenAPI UI is served; the document itself is at `/docs-json` and `/docs-yaml`. */
const DOCS_PATH = '/docs';

export interface AppOptions {
  /** Where the JSON log lines go; standard output when absent. Tests pass a capture. */
  logDestination?: DestinationStream;
}

/**
 * Builds the Nest application for an environment; `main.ts` and the tests both start here.
 * Signals are left to the caller: `main.ts` drains and exits on SIGTERM itself.
 */
export async function createApp(
  environment: Environment,
  tokens: string[],
  options: AppOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(environment, tokens, options.logDestination),
    { bodyParser: false, bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.use(securityHeaders([BULL_BOARD_PATH, DOCS_PATH]));
  mountRateLimit(app, environment.rateLimitPerMinute);
  app.use(json({ limit: BODY_LIMIT }));
  app.use(answerUnreadableBody);
  app.useGlobalPipes(createValidationPipe());
  if (environment.role !== 'worker') {
    mountBullBoard(app);
    mountDocs(app);
  }

  return app;
}

/** Express error middleware: a body the parser refused gets the one error shape at once. */
function answerUnreadableBody(
  error: unknown,
  _request: Request,
  response: Response,
  next: NextFunction,
): void {
  const body = unreadableBody(error);
  if (!body) {
    next(error);

    return;
  }
  response.status(body.statusCode).json(body);
}

function mountDocs(app: NestExpressApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Outpace')
    .setDescription(
      'Outbound dialer gateway: per-agent outbound-calling configuration, call queueing and ' +
        'pacing. Every route but /health needs `Authorization: Bearer <token>`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Swagger's routes are Express routes, out of the token guard's reach: they get their own.
  app.use(
    [DOCS_PATH, `${DOCS_PATH}-json`, `${DOCS_PATH}-yaml`],
    requireTokenOrBasicAuth(app.get<ApiTokens>(API_TOKENS)),
  );
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document, { jsonDocumentUrl: 'docs-json' });
}
