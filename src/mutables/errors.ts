import { UserError } from '../errors.js';

/** A value that is not one of a mutable's choices, or an alias the search space does not have. */
export class InvalidChoiceError extends UserError {
  constructor(
    message: string,
    readonly alias: string,
    readonly value: unknown,
    readonly validChoices: readonly number[] = [],
  ) {
    super(message);
  }
}

/** A subnet file that cannot be read, parsed or matched to the search space. */
export class SubnetFileError extends UserError {
  constructor(message: string, readonly path: string) {
    super(message);
  }
}

/** A mutable built with an inconsistent definition (empty choices, duplicate alias...). */
export class MutableDefinitionError extends UserError {
  constructor(message: string, readonly alias: string) {
    super(message);
  }
}

export function formatChoices(choices: readonly number[]): string {
  return `[${choices.join(', ')}]`;
}
