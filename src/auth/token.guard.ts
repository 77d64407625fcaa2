import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { API_TOKENS, ApiTokens, credentialOf } from './api-tokens';
import { IS_PUBLIC } from './public.decorator';

/** Every route needs a valid bearer token unless it is marked {@link Public}. */
@Injectable()
export class TokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_TOKENS) private readonly tokens: ApiTokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) {
      return true;
    }
    const request = context.switchToHttp().getRequest<Request>();
    if (!this.tokens.accepts(credentialOf(request.headers.authorization, false))) {
      throw new UnauthorizedException('A valid bearer token is required.');
    }

    return true;
  }
}
