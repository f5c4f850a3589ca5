/**
 * Base of errors caused by what the user wrote (config, arguments, files): CLIs print their message
 * as one paragraph without a stack trace and exit 2. Areas extend it for their own user errors.
 */
export class UserError extends Error {
  readonly isUserError = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True for UserError and for any error that marks itself with `isUserError = true`. */
export function isUserError(err: unknown): err is Error & { isUserError: true } {
  return err instanceof Error && (err as { isUserError?: unknown }).isUserError === true;
}
