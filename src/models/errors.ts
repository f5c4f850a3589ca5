import { UserError } from '../errors.js';

/** A supernet config that is well-typed but inconsistent (e.g. empty depth choices). */
export class SupernetConfigError extends UserError {
  constructor(message: string, readonly path: string, readonly value: unknown) {
    super(message);
  }

  /** `path` is below the network's own config when a builder raises it (locateError). */
  get configKey(): string {
    return this.path;
  }
}
