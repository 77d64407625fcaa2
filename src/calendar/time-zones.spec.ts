import { isIanaZone } from './time-zones';

describe('isIanaZone', () => {
  it.each(['America/New_York', 'Asia/Kathmandu', 'UTC', 'Europe/London'])('accepts %s', (name) => {
    expect(isIanaZone(name)).toBe(true);
    expect(isIanaZone(name)).toBe(true);
  });

  it.each(['', 'Mars/Olympus_Mons', 'America/New York', '+05:00', 'local'])(
    'refuses %p',
    (name) => {
      expect(isIanaZone(name)).toBe(false);
      expect(isIanaZone(name)).toBe(false);
    },
  );
});
