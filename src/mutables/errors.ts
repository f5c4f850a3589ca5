/** A value that is not one of a mutable's choices, or an alias the search space does not have. */
export class InvalidChoiceError extends Error {
  constructor(
    message: string,
    readonly alias: string,
    readonly value: unknown,
    readonly validChoices: readonly number[] = [],
  ) {
    super(message);
    this.name = 'InvalidChoiceError';
  }
}

/** A subnet file that cannot be read, parsed or matched to the search space. */
export class SubnetFileError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = 'SubnetFileError';
  }
}

/** A mutable built with an inconsistent definition (empty choices, duplicate alias...). */
export class MutableDefinitionError extends Error {
  constructor(message: string, readonly alias: string) {
    super(message);
    this.name = 'MutableDefinitionError';
  }
}

export function formatChoices(choices: readonly number[]): string {
  return `[${choices.join(', ')}]`;
}
