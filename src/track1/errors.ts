import { UserError } from '../errors.js';
/** The rule a Track-1 code breaks (see docs/track1.md, "Validation"). */
export type Track1CodeRule =
  | 'length'
  | 'non_digit'
  | 'size_digit'
  | 'depth_range'
  | 'ratio_range'
  | 'used_block_zero'
  | 'padding_nonzero'
  | 'stage_out_mismatch'
  | 'stem_mismatch';

/** An invalid Track-1 architecture code, with the 1-based position of the offending digit. */
export class Track1CodeError extends UserError {
  constructor(
    readonly code: string,
    /** 1-based position in `code` (for `length`: the first missing or first extra position). */
    readonly position: number,
    /** The character at `position`, or '' when the code is too short. */
    readonly digit: string,
    readonly rule: Track1CodeRule,
    detail: string,
  ) {
    super(
      `Invalid Track-1 code "${code}": ${detail} ` +
        `(position ${position}${digit === '' ? '' : `, digit '${digit}'`}, rule ${rule}).`,
    );
  }
}

/** Choices that no Track-1 code can express (an alias is missing, or a value is outside the space). */
export class Track1ChoicesError extends UserError {
  constructor(
    readonly alias: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(
      `Cannot encode these choices as a Track-1 code: "${alias}" is ${JSON.stringify(value)}, ` +
        `expected ${expected}.`,
    );
  }
}
