import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Characters people put in numbers for readability; stripped before parsing. */
const DECORATION = /[\s\-.()[\]]/g;

/**
 * The E.164 form of a number written with its country code (`+1 (212) 555-0100` ->
 * `+12125550100`), or null when it is not a valid international number.
 */
export function toE164(text: string): string | null {
  const compact = text.replace(DECORATION, '');
  if (!/^\+\d{6,15}$/.test(compact)) {
    return null;
  }
  const parsed = parsePhoneNumberFromString(compact);

  return parsed?.isValid() ? parsed.number : null;
}

/** A number safe to log at info level: country code and last two digits (`+1*******00`). */
export function maskPhoneNumber(e164: string): string {
  if (e164.length <= 5) {
    return '*'.repeat(e164.length);
  }

  return `${e164.slice(0, 2)}${'*'.repeat(e164.length - 4)}${e164.slice(-2)}`;
}
