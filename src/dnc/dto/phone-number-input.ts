import { FieldProblem, InvalidRequestError } from '../../common/domain-errors';
import { toE164 } from '../../common/phone-number';

export const PHONE_NUMBER_PROBLEM =
  'must be a valid E.164 number with its country code, such as +12125550100';

/** A bulk add with thousands of bad numbers names the first ones only, to keep the answer small. */
const MOST_PROBLEMS_REPORTED = 100;

/**
 * Parsing a number costs 15-25 µs, so 100,000 of them would hold the event loop for two seconds
 * and stall every dial decision of this process: the list is parsed in slices of this many (about
 * 20 ms each), with a turn of the event loop between slices.
 */
const NUMBERS_PER_SLICE = 1000;

/** The E.164 form of a number from a path (`%2B12125550100`, `+1 212 555 0100`). */
export function parsePathPhoneNumber(text: string): string {
  const phoneNumber = toE164(text);
  if (phoneNumber === null) {
    throw InvalidRequestError.single('phone_number', PHONE_NUMBER_PROBLEM);
  }

  return phoneNumber;
}

/**
 * The E.164 form of every entry, or an error naming each bad one (`phone_numbers[3]`): a list is
 * taken whole or not at all.
 */
export async function parsePhoneNumberList(
  field: string,
  entries: readonly unknown[],
): Promise<string[]> {
  const phoneNumbers: string[] = [];
  const problems: FieldProblem[] = [];

  for (let index = 0; index < entries.length; index++) {
    if (index > 0 && index % NUMBERS_PER_SLICE === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const entry = entries[index];
    const phoneNumber = typeof entry === 'string' ? toE164(entry) : null;
    if (phoneNumber !== null) {
      phoneNumbers.push(phoneNumber);
    } else if (problems.length < MOST_PROBLEMS_REPORTED) {
      problems.push({ field: `${field}[${index}]`, problem: PHONE_NUMBER_PROBLEM });
    }
  }

  if (problems.length > 0) {
    throw new InvalidRequestError(problems);
  }

  return phoneNumbers;
}
