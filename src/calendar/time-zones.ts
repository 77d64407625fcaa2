import { IANAZone } from 'luxon';

/**
 * Zone names already found valid. Luxon checks a name by building an `Intl.DateTimeFormat`,
 * which costs a couple of hundred microseconds: too much for every call of a 10,000-call batch.
 * Only valid names are kept, so the set is bounded by the IANA database however hostile the
 * input.
 */
const validZones = new Set<string>();

/** Whether `name` is a time zone of the IANA database ("America/New_York", "UTC"). */
export function isIanaZone(name: string): boolean {
  if (validZones.has(name)) {
    return true;
  }
  if (!IANAZone.isValidZone(name)) {
    return false;
  }
  validZones.add(name);

  return true;
}
