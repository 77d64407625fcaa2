import { maskPhoneNumber } from '../common/phone-number';

/**
 * Paths pino replaces with `[redacted]` in every line, whatever logged it: credentials sent to
 * us, the tokens we send to the dialer, and any field named like a token.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'authorization',
  'token',
  'apiToken',
  'apiTokens',
  'dialerToken',
  '*.authorization',
  '*.token',
  '*.apiToken',
  '*.apiTokens',
  '*.dialerToken',
  '*.headers.authorization',
];

/**
 * A whole path segment or query value that is a phone number: 7-15 digits with an optional `+`,
 * raw or URL-encoded. Digit runs inside other values (the groups of a UUID) do not match.
 */
const PHONE_NUMBER_IN_URL = /(?<=[/=])(?:\+|%2B)?\d{7,15}(?=$|[/?&#])/gi;

/** A request URL safe to log: phone numbers (`/dnc/+12125550100`) are masked as in events. */
export function maskUrl(url: string): string {
  return url.replace(PHONE_NUMBER_IN_URL, (match) => maskPhoneNumber(match.replace(/^%2B/i, '+')));
}
