import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, InvalidRequestError } from './domain-errors';

/**
 * The service's one validation pipe: unknown fields are rejected, values are converted to the
 * DTO classes, and every problem is reported with its full path.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InvalidRequestError(flattenValidationErrors(errors)),
  });
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
