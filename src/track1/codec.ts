import type { SubnetChoices } from '../mutables/types.js';
import { Track1ChoicesError, Track1CodeError, type Track1CodeRule } from './errors.js';
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
  track1Aliases,
} from './space.js';

/** Digits of a code without the size digit: 4 depths, 1 stem, 2 per block slot (23 slots). */
const BODY_DIGITS = 4 + 1 + 2 * TRACK1_MAX_DEPTHS.reduce((a, b) => a + b, 0);
export type Track1CodeLength = 51 | 52;

// Module-local copies and alias strings built once: decoding is on the path of tools that handle
// all 45,000 official codes, and imported bindings may be getters under some loaders (tsx).
const MAX_DEPTHS: readonly number[] = [...TRACK1_MAX_DEPTHS];
const DEPTH_RANGES: readonly (readonly number[])[] = TRACK1_DEPTH_RANGES.map((r) => [...r]);
const RATIOS: readonly number[] = [...TRACK1_RATIOS];
const STAGES = TRACK1_STAGE_COUNT;
const DEPTH_ALIASES = TRACK1_MAX_DEPTHS.map((_, s) => depthAlias(s + 1));
const OUT_ALIASES = TRACK1_MAX_DEPTHS.map((_, s) => outAlias(s + 1));
const MID_ALIASES = TRACK1_MAX_DEPTHS.map((max, s) => Array.from({ length: max }, (_, b) => midAlias(s + 1, b + 1)));
// V8 turns an object into a slow dictionary after about a dozen properties added by computed key;
// copying a JSON-parsed template keeps decoded choices compact (about 3x faster over 45,000 codes).
const CHOICES_TEMPLATE = JSON.parse(JSON.stringify(Object.fromEntries(track1Aliases().map((a) => [a, 0])))) as SubnetChoices;

/** The error for the digit at 0-based index i of code. */
function codeError(code: string, i: number, rule: Track1CodeRule, detail: string): Track1CodeError {
  return new Track1CodeError(code, i + 1, code[i]!, rule, detail);
}

function checkUsedDigit(code: string, i: number, v: number, stage: number, block: number, depth: number, what: string): void {
  if (v === 0) throw codeError(code, i, 'used_block_zero', `stage ${stage} block ${block} is used (depth ${depth}), its ${what} ratio digit must be in 1..7`);
  if (v > 7) throw codeError(code, i, 'ratio_range', `stage ${stage} block ${block} ${what} ratio digit must be in 1..7`);
}

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
  // No closures in this function: tsx wraps each one in a naming helper, which dominated decode time.
  const digits = code.length as Track1CodeLength;
  const offset = digits - BODY_DIGITS;

  if (offset === 1 && code.charCodeAt(0) - 48 !== 1) {
    throw codeError(code, 0, 'size_digit', 'the size digit must be 1 (224 px), the only input size of Track 1');
  }
  const depths: number[] = [];
  for (let s = 0; s < STAGES; s++) {
    const i = offset + s;
    const d = code.charCodeAt(i) - 48;
    const [lo, hi] = DEPTH_RANGES[s]!;
    if (d < lo || d > hi) throw codeError(code, i, 'depth_range', `stage ${s + 1} depth must be in ${lo}..${hi}`);
    depths.push(d);
  }
  const stemPos = offset + 4;
  const stem = code.charCodeAt(stemPos) - 48;
  if (stem < 1 || stem > 7) throw codeError(code, stemPos, 'ratio_range', 'the stem ratio digit must be in 1..7');

  const outs: number[] = [];
  const mids: number[] = [];
  let pos = stemPos + 1;
  for (let s = 0; s < STAGES; s++) {
    const stage = s + 1;
    const depth = depths[s]!;
    let stageOut = 0;
    for (let b = 0; b < MAX_DEPTHS[s]!; b++, pos += 2) {
      const mid = code.charCodeAt(pos) - 48;
      const out = code.charCodeAt(pos + 1) - 48;
      if (b >= depth) {
        if (mid !== 0 || out !== 0) {
          throw codeError(code, mid !== 0 ? pos : pos + 1, 'padding_nonzero', `stage ${stage} block ${b + 1} is beyond the depth ${depth}, its digits must be 00`);
        }
        mids.push(1);
        continue;
      }
      checkUsedDigit(code, pos, mid, stage, b + 1, depth, 'mid');
      checkUsedDigit(code, pos + 1, out, stage, b + 1, depth, 'out');
      if (b === 0) stageOut = out;
      else if (out !== stageOut) {
        throw codeError(code, pos + 1, 'stage_out_mismatch', `stage ${stage} block ${b + 1} out digit differs from block 1's (${stageOut}); a stage has one residual width`);
      }
      mids.push(mid);
    }
    if (s === 0 && stem !== stageOut) {
      throw codeError(code, stemPos, 'stem_mismatch', `the stem digit must equal stage 1's out digit (${stageOut}); the stem feeds stage 1's residual path`);
    }
    outs.push(stageOut);
  }
  // Fill in track1Aliases() order: depths, then per stage its width and its blocks' mid widths.
  const choices: SubnetChoices = { ...CHOICES_TEMPLATE };
  for (let s = 0; s < STAGES; s++) choices[DEPTH_ALIASES[s]!] = depths[s]!;
  for (let s = 0, k = 0; s < STAGES; s++) {
    choices[OUT_ALIASES[s]!] = RATIOS[outs[s]! - 1]!;
    for (const alias of MID_ALIASES[s]!) choices[alias] = RATIOS[mids[k++]! - 1]!;
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
    const d = take(DEPTH_ALIASES[s]!);
    if (!Number.isInteger(d) || d < lo || d > hi) throw new Track1ChoicesError(DEPTH_ALIASES[s]!, d, `an integer in ${lo}..${hi}`);
    return d;
  });
  const outs = depths.map((_, s) => takeRatio(OUT_ALIASES[s]!));
  const parts: number[] = digits === 52 ? [1] : [];
  parts.push(...depths, outs[0]!);
  for (let s = 0; s < TRACK1_STAGE_COUNT; s++) {
    for (let b = 0; b < TRACK1_MAX_DEPTHS[s]!; b++) {
      const alias = MID_ALIASES[s]![b]!;
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
