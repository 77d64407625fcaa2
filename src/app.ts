import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { unreadableBody } from './common/error-body';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation';
import { Environment } from './environment/environment';
import { mountBullBoard } from './monitoring/bull-board';

/** Largest request body: a configuration of 1,000 numbers with 8 KiB of metadata each fits. */
export const BODY_LIMIT = '12mb';

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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
