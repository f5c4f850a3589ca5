import type { SubnetChoices } from '../mutables/types.js';
import { Track1ChoicesError } from './errors.js';
import { ResNetCodeSpace } from './code_space.js';
import { channelsForRatio } from '../mutables/make_divisible.js';
import { TRACK1_DEPTH_RANGES, TRACK1_INPUT_SIZE, TRACK1_RATIOS, TRACK1_STAGE_BASE_CHANNELS, TRACK1_STEM_BASE_CHANNELS } from './space.js';

export type Track1CodeLength = 51 | 52;

/**
 * The official Track-1 space (ResNet48: depths 2..5/2..5/2..8/2..5, seven ratios, 224 px) as a code
 * space. Channel counts are make_divisible(int(ratio * base), 8): digits 1 and 2, 3 and 4, and 5 to 7
 * give the same width at base 64, digits 3 and 4 at base 128.
 */
export const TRACK1_CODE_SPACE = new ResNetCodeSpace({
  depthChoices: TRACK1_DEPTH_RANGES.map(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)),
  ratios: [...TRACK1_RATIOS],
  inputSize: TRACK1_INPUT_SIZE,
  stemTiedToStage1: true,
  outChannels: {
    stem: TRACK1_RATIOS.map((r) => channelsForRatio(r, TRACK1_STEM_BASE_CHANNELS)),
    stages: TRACK1_STAGE_BASE_CHANNELS.map((base) => TRACK1_RATIOS.map((r) => channelsForRatio(r, base))),
  },
  name: 'Track 1',
});

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
  return TRACK1_CODE_SPACE.parse(code).choices;
}

/** Decode a code with everything it carries (choices, input size, length). */
export function parseTrack1Code(code: string): Track1Code {
  const { choices, inputSize, digits } = TRACK1_CODE_SPACE.parse(code);
  return { choices, inputSize, digits: digits as Track1CodeLength };
}

/**
 * Encode mutator choices as a Track-1 code. Mid ratios of blocks beyond a stage's depth are ignored
 * (written 00). An `input_size` key, if present, must be 224; any other unknown key is refused.
 */
export function encodeTrack1Code(choices: SubnetChoices, options: EncodeOptions = {}): string {
  const digits = options.digits ?? 52;
  if (digits !== 51 && digits !== 52) throw new Track1ChoicesError('digits', digits, '51 or 52');
  return TRACK1_CODE_SPACE.encode(choices, { sizeDigit: digits === 52 });
}
