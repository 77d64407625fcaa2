import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, ValidatorOptions } from 'class-validator';
import { FieldProblem, InvalidRequestError } from './domain-errors';
import { jsonShapeProblem } from './json-shape';

/** Unknown fields are rejected, at every depth. */
const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/**
 * The service's one validation pipe: unknown fields are rejected, values are converted to the
 * DTO classes, and every problem is reported with its full path.
 */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new InvalidRequestError(flattenValidationErrors(errors)),
  });
}

/**
 * Checks the shape of a body or query before class-transformer walks it: that walk recurses, so
 * a body nested thousands of levels deep would overflow the stack (a 500), and it drops
 * `__proto__` and `constructor` keys without a word, where every other unknown field is refused.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      rejectBadShape(value);
    }

    return super.transform(value, metadata);
  }
}

function rejectBadShape(value: unknown): void {
  const problem = jsonShapeProblem(value);
  if (problem) {
    throw new InvalidRequestError([problem]);
  }
}

/**
 * Validates one plain value as a DTO outside the pipe (a batch item, say), with the same rules.
 * Raises InvalidRequestError with every problem found.
 */
export async function validateAs<T extends object>(type: ClassConstructor<T>, plain: unknown) {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw InvalidRequestError.single('item', 'must be a JSON object');
  }
  rejectBadShape(plain);
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, VALIDATOR_OPTIONS);
  if (errors.length > 0) {
    throw new InvalidRequestError(flattenValidationErrors(errors));
  }

  return instance;
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = joinPath(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((problem) => ({
      field,
      problem: describe(problem, error.property),
    }));

    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) {
    return `${parent}[${property}]`;
  }

  return parent ? `${parent}.${property}` : property;
}

/** class-validator starts each message with the property name; the path already says it. */
function describe(problem: string, property: string): string {
  if (/^property \S+ should not exist$/.test(problem)) {
    return 'is not a known field';
  }

  return problem.startsWith(`${property} `) ? problem.slice(property.length + 1) : problem;
}
