import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Request } from 'express';
import { Observable } from 'rxjs';
import { InvalidRequestError } from '../common/domain-errors';

/**
 * Refuses a JSON body that is an array where an object is expected: the validation pipe would
 * read the array as an object with fields "0", "1", ... and report each as unknown. An
 * interceptor, because it runs after the token guard (a stranger still gets 401) and before
 * the pipes.
 */
@Injectable()
export class JsonObjectBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (Array.isArray(request.body)) {
      throw InvalidRequestError.single('body', 'must be a JSON object, not an array');
    }

    return next.handle();
  }
}
