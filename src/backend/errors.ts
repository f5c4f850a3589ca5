import { UserError } from '../errors.js';

/** `--backend` named something that is not a backend. */
export class UnknownBackendError extends UserError {
  constructor(readonly value: string, readonly valid: readonly string[], suggestion?: string) {
    super(`Unknown backend "${value}" (from --backend). Valid names: ${valid.join(', ')}.` +
      (suggestion !== undefined ? ` Did you mean "${suggestion}"?` : ''));
  }
}

/** A forced backend could not be loaded; the message says why and what to install. */
export class BackendUnavailableError extends UserError {
  constructor(readonly backend: string, readonly reason: string, readonly installHint: string) {
    super(`Backend "${backend}" was requested (--backend ${backend}) but cannot be used: ${reason}. ` +
      installHint);
  }
}
