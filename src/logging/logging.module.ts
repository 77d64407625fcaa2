import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { Options } from 'pino-http';
import { Environment } from '../environment/environment';
import { maskUrl, REDACTED_PATHS } from './log-redaction';

/** Paths polled by orchestrators and Prometheus: a line per poll would drown the events. */
const QUIET_PATHS = new Set(['/health', '/metrics']);

/**
 * pino through nestjs-pino: every Nest `Logger` call becomes one JSON line, the logged object's
 * fields merged into it, and each HTTP request one more line with its method, masked URL,
 * status and duration. Bodies and headers are never logged.
 */
@Module({})
export class LoggingModule {
  static forRoot(
    level: Environment['logLevel'] | 'silent',
    destination?: DestinationStream,
  ): DynamicModule {
    const options = loggerOptions(level);

    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options })],
    };
  }
}

/** pino-http hands the request serializer its own summary of the request, not the request. */
interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
}

export function loggerOptions(level: Environment['logLevel'] | 'silent'): Options {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    autoLogging: { ignore: (request) => QUIET_PATHS.has(pathOf(request.url)) },
    quietReqLogger: true,
    serializers: {
      req: (request: SerializedRequest) => ({
        id: request.id,
        method: request.method,
        url: maskUrl(request.url ?? ''),
      }),
      res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
    },
  };
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?', 1)[0];
}
