import type { SubnetChoices } from '../mutables/types.js';
import { Track1ChoicesError, Track1CodeError } from './errors.js';
import {
  TRACK1_DEPTH_RANGES,
  TRACK1_INPUT_SIZE,
  TRACK1_MAX_DEPTHS,
  TRACK1_RATIOS,
  TRACK1_STAGE_COUNT,
  depthAlias,
  midAlias,
  outAlias,
  ratioDigit,
} from './space.js';

/** Digits of a code without the size digit: 4 depths, 1 stem, 2 per block slot (23 slots). */
const BODY_DIGITS = 4 + 1 + 2 * TRACK1_MAX_DEPTHS.reduce((a, b) => a + b, 0);
export type Track1CodeLength = 51 | 52;

/** A decoded code: the mutator choices plus what the code says outside of them. */
export interface Track1Code {
  /** Every alias of the space (see track1Aliases); unused blocks get the max mid ratio 1.0. */
  choices: SubnetChoices;
  /** Always 224: the size digit `1` is the only valid one, and 51-digit codes imply it. */
  inputSize: number;
  digits: Track1CodeLength;
}

export interface EncodeOptions {
  /** 52 (the challenge list, with the size digit) or 51 (the demo README form). */
  digits?: Track1CodeLength;
}

/** Decode a 51- or 52-digit Track-1 code to mutator choices; throws Track1CodeError if invalid. */
export function decodeTrack1Code(code: string): SubnetChoices {
  return parseTrack1Code(code).choices;
}

/** Decode a code with everything it carries (choices, input size, length). */
export function parseTrack1Code(code: string): Track1Code {
  if (code.length !== BODY_DIGITS && code.length !== BODY_DIGITS + 1) {
    const pos = Math.min(code.length, BODY_DIGITS + 1) + 1;
    throw new Track1CodeError(
      code,
      pos,
      code[pos - 1] ?? '',
      'length',
      `it has ${code.length} characters, expected ${BODY_DIGITS + 1} (with the size digit) or ${BODY_DIGITS}`,
    );
  }
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c < 48 || c > 57) {
      throw new Track1CodeError(code, i + 1, code[i]!, 'non_digit', 'every character must be a digit 0-9');
    }
  }
  const digits = code.length as Track1CodeLength;
  const offset = digits - BODY_DIGITS;
  const digitAt = (i: number): number => code.charCodeAt(i) - 48;
  const fail = (i: number, rule: ConstructorParameters<typeof Track1CodeError>[3], detail: string) =>
    new Track1CodeError(code, i + 1, code[i]!, rule, detail);

  if (offset === 1 && digitAt(0) !== 1) {
    throw fail(0, 'size_digit', 'the size digit must be 1 (224 px), the only input size of Track 1');
  }
  const choices: SubnetChoices = {};
  const depths: number[] = [];
  for (let s = 0; s < TRACK1_STAGE_COUNT; s++) {
    const i = offset + s;
    const d = digitAt(i);
    const [lo, hi] = TRACK1_DEPTH_RANGES[s]!;
    if (d < lo || d > hi) throw fail(i, 'depth_range', `stage ${s + 1} depth must be in ${lo}..${hi}`);
    depths.push(d);
    choices[depthAlias(s + 1)] = d;
  }
  const stemPos = offset + 4;
  const stem = digitAt(stemPos);
  if (stem < 1 || stem > 7) throw fail(stemPos, 'ratio_range', 'the stem ratio digit must be in 1..7');

  let pos = stemPos + 1;
  for (let s = 0; s < TRACK1_STAGE_COUNT; s++) {
    const stage = s + 1;
    let stageOut = 0;
    for (let b = 0; b < TRACK1_MAX_DEPTHS[s]!; b++, pos += 2) {
      const block = b + 1;
      const mid = digitAt(pos);
      const out = digitAt(pos + 1);
      if (b >= depths[s]!) {
        if (mid !== 0) throw fail(pos, 'padding_nonzero', `stage ${stage} block ${block} is beyond the depth ${depths[s]}, its digits must be 00`);
        if (out !== 0) throw fail(pos + 1, 'padding_nonzero', `stage ${stage} block ${block} is beyond the depth ${depths[s]}, its digits must be 00`);
        choices[midAlias(stage, block)] = TRACK1_RATIOS[0];
        continue;
      }
      for (const [i, v, what] of [[pos, mid, 'mid'], [pos + 1, out, 'out']] as const) {
        if (v === 0) throw fail(i, 'used_block_zero', `stage ${stage} block ${block} is used (depth ${depths[s]}), its ${what} ratio digit must be in 1..7`);
        if (v > 7) throw fail(i, 'ratio_range', `stage ${stage} block ${block} ${what} ratio digit must be in 1..7`);
      }
      if (b === 0) stageOut = out;
      else if (out !== stageOut) {
        throw fail(pos + 1, 'stage_out_mismatch', `stage ${stage} block ${block} out digit differs from block 1's (${stageOut}); a stage has one residual width`);
      }
      choices[midAlias(stage, block)] = TRACK1_RATIOS[mid - 1]!;
    }
    if (s === 0 && stem !== stageOut) {
      throw fail(stemPos, 'stem_mismatch', `the stem digit must equal stage 1's out digit (${stageOut}); the stem feeds stage 1's residual path`);
    }
    choices[outAlias(stage)] = TRACK1_RATIOS[stageOut - 1]!;
  }
  return { choices, inputSize: TRACK1_INPUT_SIZE, digits };
}

/**
 * Encode mutator choices as a Track-1 code. Mid ratios of blocks beyond a stage's depth are ignored
 * (written 00). An `input_size` key, if present, must be 224; any other unknown key is refused.
 */
export function encodeTrack1Code(choices: SubnetChoices, options: EncodeOptions = {}): string {
  const digits = options.digits ?? 52;
  if (digits !== 51 && digits !== 52) {
    throw new Track1ChoicesError('digits', digits, '51 or 52');
  }
  const known = new Set<string>(['input_size']);
  const take = (alias: string): number => {
    known.add(alias);
    const v = choices[alias];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Track1ChoicesError(alias, v, 'a number (the alias is missing or not numeric)');
    }
    return v;
  };
  const takeRatio = (alias: string): number => {
    const d = ratioDigit(take(alias));
    if (d === undefined) throw new Track1ChoicesError(alias, choices[alias], `one of the ratios ${TRACK1_RATIOS.join(', ')}`);
    return d;
  };
  if ('input_size' in choices && choices.input_size !== TRACK1_INPUT_SIZE) {
    throw new Track1ChoicesError('input_size', choices.input_size, `${TRACK1_INPUT_SIZE} (the only Track-1 input size)`);
  }
  const depths = TRACK1_DEPTH_RANGES.map(([lo, hi], s) => {
    const d = take(depthAlias(s + 1));
    if (!Number.isInteger(d) || d < lo || d > hi) throw new Track1ChoicesError(depthAlias(s + 1), d, `an integer in ${lo}..${hi}`);
    return d;
  });
  const outs = depths.map((_, s) => takeRatio(outAlias(s + 1)));
  const parts: number[] = digits === 52 ? [1] : [];
  parts.push(...depths, outs[0]!);
  for (let s = 0; s < TRACK1_STAGE_COUNT; s++) {
    for (let b = 0; b < TRACK1_MAX_DEPTHS[s]!; b++) {
      const alias = midAlias(s + 1, b + 1);
      if (b < depths[s]!) parts.push(takeRatio(alias), outs[s]!);
      else {
        known.add(alias);
        parts.push(0, 0);
      }
    }
  }
  for (const key of Object.keys(choices)) {
    if (!known.has(key)) throw new Track1ChoicesError(key, choices[key], 'no such alias in the Track-1 space (see track1Aliases())');
  }
  return parts.join('');
}
