import { Logger } from '@nestjs/common';
import { DncService } from '../../src/dnc/dnc.service';
import { startTestApp, TestApp } from '../support/app';

const LISTED = '+12125550100';
const OTHER = '+12125550101';

/** The path of a number as a client sends it: URL-encoded, so `+` arrives as `%2B`. */
function pathOf(phoneNumber: string): string {
  return `/outbound/dnc/${encodeURIComponent(phoneNumber)}`;
}

/** Distinct valid New York numbers: +1 212 200 0000, +1 212 200 0001, ... */
function manyNumbers(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `+1212${2_000_000 + index}`);
}

describe('the do-not-call list', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(async () => {
    await testApp.redis.del(testApp.keys.doNotCall);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('one number at a time', () => {
    it('lists a URL-encoded E.164 number and then finds it', async () => {
      const added = await testApp.api().put(pathOf(LISTED));
      const found = await testApp.api().get(pathOf(LISTED));

      expect(added.status).toBe(200);
      expect(added.body).toEqual({ phone_number: LISTED, listed: true });
      expect(found.status).toBe(200);
      expect(found.body).toEqual({ phone_number: LISTED, listed: true });
    });

    it('reads a number written with spaces, dashes and brackets as its E.164 form', async () => {
      const added = await testApp.api().put(pathOf('+1 (212) 555-0100'));
      const found = await testApp.api().get(pathOf('+1.212.555.0100'));

      expect(added.body).toEqual({ phone_number: LISTED, listed: true });
      expect(found.status).toBe(200);
      expect(await testApp.redis.smembers(testApp.keys.doNotCall)).toEqual([LISTED]);
    });

    it('takes the + of a number sent unencoded as it is', async () => {
      const added = await testApp.api().put(`/outbound/dnc/${LISTED}`);

      expect(added.body).toEqual({ phone_number: LISTED, listed: true });
    });

    it('lists a number twice without harm', async () => {
      await testApp.api().put(pathOf(LISTED));
      const again = await testApp.api().put(pathOf(LISTED));

      expect(again.status).toBe(200);
      expect(await testApp.redis.scard(testApp.keys.doNotCall)).toBe(1);
    });

    it('answers 404 for a number that is not listed', async () => {
      const response = await testApp.api().get(pathOf(OTHER));

      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `${OTHER} is not on the do-not-call list.`,
        details: [],
      });
    });

    it('takes a listed number off the list, and answers 404 the second time', async () => {
      await testApp.api().put(pathOf(LISTED));

      const removed = await testApp.api().delete(pathOf(LISTED));
      const removedAgain = await testApp.api().delete(pathOf(LISTED));
      const found = await testApp.api().get(pathOf(LISTED));

      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');
      expect(removedAgain.status).toBe(404);
      expect(found.status).toBe(404);
    });

    it.each([
      ['put', '12125550100'],
      ['get', '+1212'],
      ['delete', 'not-a-number'],
      ['put', '+1 212 555 010O'],
    ] as const)('refuses to %s an invalid number %p, naming phone_number', async (method, text) => {
      const response = await testApp.api()[method](pathOf(text));

      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([
        { field: 'phone_number', problem: expect.stringContaining('E.164') },
      ]);
    });

    it('logs each change with the number masked, never in full', async () => {
      const log = jest.spyOn(Logger.prototype, 'log');

      await testApp.api().put(pathOf(LISTED));
      await testApp.api().delete(pathOf(LISTED));

      const lines = log.mock.calls.map(([message]) => String(message));
      expect(lines).toEqual([
        'do-not-call added phone_number=+1********00',
        'do-not-call removed phone_number=+1********00',
      ]);
    });
  });

  describe('bulk adds', () => {
    it('adds the new numbers and counts those already listed', async () => {
      await testApp.api().put(pathOf(LISTED));

      const response = await testApp
        .api()
        .post('/outbound/dnc')
        .send({ phone_numbers: [LISTED, OTHER, '+44 20 7946 0018'] });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ added: 2, already_listed: 1 });
      expect((await testApp.redis.smembers(testApp.keys.doNotCall)).sort()).toEqual(
        [LISTED, OTHER, '+442079460018'].sort(),
      );
    });

    it('counts a number repeated within the request once as added, then as already listed', async () => {
      const response = await testApp
        .api()
        .post('/outbound/dnc')
        .send({ phone_numbers: [OTHER, '+1 212 555 0101'] });

      expect(response.body).toEqual({ added: 1, already_listed: 1 });
    });

    it('adds nothing when one number is bad, and names each bad entry by its index', async () => {
      const response = await testApp
        .api()
        .post('/outbound/dnc')
        .send({ phone_numbers: [LISTED, OTHER, '555-0100', 42] });

      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([
        { field: 'phone_numbers[2]', problem: expect.stringContaining('E.164') },
        { field: 'phone_numbers[3]', problem: expect.stringContaining('E.164') },
      ]);
      expect(await testApp.redis.scard(testApp.keys.doNotCall)).toBe(0);
    });

    it('adds 100,000 numbers in one request', async () => {
      const phoneNumbers = manyNumbers(100_000);

      const response = await testApp
        .api()
        .post('/outbound/dnc')
        .send({ phone_numbers: phoneNumbers });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ added: 100_000, already_listed: 0 });
      expect(await testApp.redis.scard(testApp.keys.doNotCall)).toBe(100_000);
    });

    it('refuses more than 100,000 numbers, an empty list and a missing list', async () => {
      const tooMany = await testApp
        .api()
        .post('/outbound/dnc')
        .send({ phone_numbers: manyNumbers(100_001) });
      const empty = await testApp.api().post('/outbound/dnc').send({ phone_numbers: [] });
      const missing = await testApp.api().post('/outbound/dnc').send({});

      for (const response of [tooMany, empty, missing]) {
        expect(response.status).toBe(400);
        expect(response.body.details).toContainEqual({
          field: 'phone_numbers',
          problem: expect.any(String),
        });
      }
      expect(await testApp.redis.scard(testApp.keys.doNotCall)).toBe(0);
    });

    it('refuses unknown fields', async () => {
      const response = await testApp
        .api()
        .post('/outbound/dnc')
        .send({ phone_numbers: [LISTED], reason: 'asked' });

      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ field: 'reason', problem: 'is not a known field' }]);
    });
  });

  describe('the check the pacing engine makes at dial time', () => {
    it('tells for each number, in order, whether it is listed', async () => {
      const doNotCall = testApp.app.get(DncService);
      await doNotCall.addMany([LISTED, '+442079460018']);

      const answers = await doNotCall.listed([OTHER, LISTED, '+442079460018', OTHER]);

      expect(answers).toEqual([false, true, true, false]);
    });

    it('answers an empty list of numbers with an empty list', async () => {
      const doNotCall = testApp.app.get(DncService);

      expect(await doNotCall.listed([])).toEqual([]);
    });
  });
});
