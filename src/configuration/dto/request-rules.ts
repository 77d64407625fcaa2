import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { ValidateBy, ValidateNested, ValidationArguments } from 'class-validator';
import { parseClockTime } from '../../calendar/schedule-calendar';
import { isIanaZone } from '../../calendar/time-zones';
import { toE164 } from '../../common/phone-number';

/** `HH:MM` or `HH:MM:SS`, 00:00 to 23:59:59. */
export const START_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

/** A start time, or the end of the day written `24:00` (or `24:00:00`). */
export const END_TIME_PATTERN = /^(([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|24:00(:00)?)$/;

export const SCHEDULE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const METADATA_LIMIT_BYTES = 8 * 1024;

type ItemClass = new () => object;

/**
 * A validation rule given as one function that names the problem with a value (null when there
 * is none), so that the check and its message cannot drift apart. `object` is the instance the
 * value belongs to, for rules that compare two fields.
 */
function Rule(
  name: string,
  problemOf: (value: unknown, object: object | undefined) => string | null,
): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown, validation) => problemOf(value, validation?.object) === null,
      defaultMessage: (validation) => problemOf(validation?.value, validation?.object) ?? '',
    },
  });
}

/**
 * A message that says "is required" when the field is missing and `problem` otherwise, so that
 * a missing field is reported once rather than once per rule it breaks.
 */
export function requiredOr(problem: string): (validation: ValidationArguments) => string {
  return (validation) => (validation.value === undefined ? 'is required' : problem);
}

/**
 * An array of `min` to `max` objects, each converted to `itemClass` and validated as one, with
 * problems reported by index (`phone_numbers[3].daily_limit`). An item that is not an object
 * (a string, null, an array) is reported at its own index instead of being searched for fields.
 */
export function NestedList(
  itemClass: ItemClass,
  limits: { min: number; max: number; noun: string },
): PropertyDecorator {
  return applyDecorators(
    Transform(({ obj, key }) => toItems((obj as Record<string, unknown>)[key], itemClass)),
    Rule('nestedList', (value) => listProblem(value, limits)),
    ValidateNested({ each: true, message: 'must be an object' }),
  );
}

function toItems(raw: unknown, itemClass: ItemClass): unknown[] | undefined {
  // Anything but an array becomes "missing": the list rule then reports it once, and nested
  // validation does not wander into a stray object as if it were an item.
  if (!Array.isArray(raw)) {
    return undefined;
  }

  return raw.map((item: unknown) => (isJsonObject(item) ? plainToInstance(itemClass, item) : null));
}

function listProblem(
  value: unknown,
  limits: { min: number; max: number; noun: string },
): string | null {
  if (!Array.isArray(value)) {
    return `must be an array of ${limits.min} to ${limits.max} ${limits.noun}`;
  }
  if (value.length < limits.min) {
    return `must hold at least ${limits.min} of the ${limits.noun}`;
  }
  if (value.length > limits.max) {
    return `must hold at most ${limits.max} ${limits.noun} (it holds ${value.length})`;
  }

  return null;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The E.164 form of a phone number written with spaces, dashes, dots or brackets
 * (`+1 (212) 555-0100` -> `+12125550100`). Anything else is left as sent, for
 * {@link IsE164PhoneNumber} to say what is wrong with it.
 */
export function normalisePhoneNumber(value: unknown): unknown {
  return typeof value === 'string' ? (toE164(value) ?? value) : value;
}

/** A phone number in E.164 form, once {@link normalisePhoneNumber} has run. */
export function IsE164PhoneNumber(): PropertyDecorator {
  return Rule('isE164PhoneNumber', phoneNumberProblem);
}

function phoneNumberProblem(value: unknown): string | null {
  if (value === undefined) {
    return 'is required';
  }
  if (typeof value !== 'string') {
    return 'must be a string such as "+12125550100"';
  }
  if (!value.trim().startsWith('+')) {
    return 'must start with "+" and the country code (E.164), such as "+12125550100"';
  }
  if (toE164(value) !== value) {
    return 'is not a valid phone number';
  }

  return null;
}

/** The end of a window: a clock time or `24:00`, and not the window's start (an empty window). */
export function IsWindowEnd(): PropertyDecorator {
  return Rule('isWindowEnd', (value, window) =>
    windowEndProblem(value, (window as { start_time?: unknown } | undefined)?.start_time),
  );
}

function windowEndProblem(endTime: unknown, startTime: unknown): string | null {
  if (endTime === undefined) {
    return 'is required';
  }
  if (typeof endTime !== 'string' || !END_TIME_PATTERN.test(endTime)) {
    return 'must be a clock time HH:MM or HH:MM:SS (00:00 to 23:59:59), or 24:00';
  }
  const startIsValid = typeof startTime === 'string' && START_TIME_PATTERN.test(startTime);
  if (startIsValid && parseClockTime(startTime) === parseClockTime(endTime)) {
    return 'must differ from start_time: a window that ends where it starts is empty';
  }

  return null;
}

/** ISO weekdays: 1 (Monday) to 7 (Sunday), at least one, none twice. */
export function IsIsoWeekdays(): PropertyDecorator {
  return Rule('isIsoWeekdays', weekdaysProblem);
}

function weekdaysProblem(value: unknown): string | null {
  if (value === undefined) {
    return 'is required';
  }
  if (!Array.isArray(value)) {
    return 'must be an array of days: days are numbered 1 (Monday) to 7 (Sunday)';
  }
  if (value.length === 0) {
    return 'must name at least one day';
  }
  const notADay = value.find((day) => !Number.isInteger(day) || day < 1 || day > 7);
  if (notADay !== undefined) {
    return `holds ${JSON.stringify(notADay)}, but days are numbered 1 (Monday) to 7 (Sunday)`;
  }
  const repeated = value.find((day, index) => value.indexOf(day) !== index);
  if (repeated !== undefined) {
    return `names day ${repeated} more than once`;
  }

  return null;
}

/** A string of 1 to `maxLength` characters, not all blank. */
export function IsText(maxLength: number): PropertyDecorator {
  return Rule('isText', (value) => textProblem(value, maxLength));
}

function textProblem(value: unknown, maxLength: number): string | null {
  if (value === undefined) {
    return 'is required';
  }
  if (typeof value !== 'string') {
    return 'must be a string';
  }
  if (value.trim() === '') {
    return 'must not be blank';
  }
  if (value.length > maxLength) {
    return `must be at most ${maxLength} characters long`;
  }

  return null;
}

/** A time zone of the IANA database, by name ("America/New_York", "UTC"). */
export function IsIanaZone(): PropertyDecorator {
  return Rule('isIanaZone', (value) => {
    if (value === undefined) {
      return 'is required';
    }

    return typeof value === 'string' && isIanaZone(value)
      ? null
      : 'must be an IANA time zone name such as "America/New_York" or "UTC"';
  });
}

/** A JSON object whose serialised form fits in `limitBytes` of UTF-8. */
export function IsSmallJsonObject(limitBytes: number): PropertyDecorator {
  return Rule('isSmallJsonObject', (value) => {
    if (!isJsonObject(value)) {
      return 'must be an object';
    }
    const size = jsonSize(value);

    return size <= limitBytes
      ? null
      : `must be at most ${limitBytes} bytes as JSON (it is ${size})`;
  });
}

function jsonSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
