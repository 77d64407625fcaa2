/** One problem with one field of a request, named by its full path (`schedules[0].name`). */
export interface FieldProblem {
  field: string;
  problem: string;
}

/** Base of the errors the domain raises; the HTTP edge maps each kind to a status. */
export abstract class DomainError extends Error {
  abstract readonly statusCode: number;
}

/** The request is well-formed JSON but breaks a rule; carries every problem found. */
export class InvalidRequestError extends DomainError {
  readonly statusCode = 400;

  constructor(readonly details: FieldProblem[]) {
    super(details.map((detail) => `${detail.field}: ${detail.problem}`).join('; '));
  }

  static single(field: string, problem: string): InvalidRequestError {
    return new InvalidRequestError([{ field, problem }]);
  }
}

export class NotFoundError extends DomainError {
  readonly statusCode = 404;
}

/** The agent has no outbound configuration: nothing of it can be read or enqueued. */
export class NoConfigurationError extends NotFoundError {
  constructor(agentId: string) {
    super(`Agent ${agentId} has no outbound configuration.`);
  }
}

/** The request conflicts with the current state of the thing it names. */
export class ConflictError extends DomainError {
  readonly statusCode = 409;
}
