import { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * JSON answers load nothing and belong in no frame, so the API's policy allows nothing at all.
 */
const apiHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' },
});

/**
 * The pages (Bull Board, the API docs) load their own scripts and styles, Google's fonts and
 * inline styles: helmet's default policy allows exactly that. Its `upgrade-insecure-requests`
 * is left out: the service is often reached over plain HTTP on a private address, where
 * upgrading the pages' assets to https would break them.
 */
const pageHeaders = helmet({
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
});

/** Sets helmet's security headers on every answer: the pages' policy under `pagePaths`. */
export function securityHeaders(pagePaths: readonly string[]): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const isPage = pagePaths.some(
      (path) => request.path === path || request.path.startsWith(`${path}/`),
    );

    (isPage ? pageHeaders : apiHeaders)(request, response, next);
  };
}
