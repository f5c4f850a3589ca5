/** A model config that cannot work with the algorithm it names (e.g. SPOS on a fixed network): exit 2. */
export class AlgorithmConfigError extends Error {
  readonly isUserError = true;
  constructor(message: string, readonly algorithm: string, readonly key: string) {
    super(message);
    this.name = 'AlgorithmConfigError';
  }

  /** The bad value's path below the algorithm's config (`model`), for locateError. */
  get configKey(): string {
    return this.key;
  }
}
