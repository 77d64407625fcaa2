import { createHash, timingSafeEqual } from 'node:crypto';

/** Injection token of the {@link ApiTokens} the service accepts. */
export const API_TOKENS = Symbol('ApiTokens');

/**
 * The bearer tokens with full access. Tokens are kept only as SHA-256 digests and compared in
 * constant time, so neither the comparison's duration nor a memory dump gives one away.
 */
export class ApiTokens {
  private readonly digests: Buffer[];

  constructor(tokens: string[]) {
    this.digests = tokens.map(digest);
  }

  accepts(candidate: string | undefined): boolean {
    return this.identify(candidate) !== null;
  }

  /**
   * A name for the token that is safe to store and log (the hex of its SHA-256 digest), or null
   * when the candidate is no accepted token. Every known digest is compared, whatever matched.
   */
  identify(candidate: string | undefined): string | null {
    const candidateDigest = digest(candidate ?? '');
    let match: Buffer | null = null;
    for (const known of this.digests) {
      if (timingSafeEqual(known, candidateDigest)) {
        match = known;
      }
    }

    return match && candidate !== undefined ? match.toString('hex') : null;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** The credential of a request: a bearer token, or the password of HTTP Basic auth. */
export function credentialOf(
  authorization: string | undefined,
  allowBasic: boolean,
): string | undefined {
  if (!authorization) {
    return undefined;
  }
  const [scheme, value] = authorization.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer' && value) {
    return value.trim();
  }
  if (allowBasic && scheme?.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');

    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }

  return undefined;
}
