import type { SubnetChoices } from '../mutables/types.js';
import { UserError } from '../errors.js';
import { depthAlias, midAlias, outAlias } from './space.js';
import { Track1ChoicesError, Track1CodeError, type Track1CodeRule } from './errors.js';

/**
 * A ResNet-style space as its codes see it: per stage the allowed depths (the largest is the
 * number of block slots the code reserves), the width ratios (digit d is ratios[d - 1]), the input
 * size the size digit `1` stands for, and whether the stem width is stage 1's residual width.
 */
export interface ResNetCodeSpaceSpec {
  depthChoices: readonly (readonly number[])[];
  ratios: readonly number[];
  inputSize: number;
  /** The stem width is stage 1's out width (Track-1); else the stem digit is the `stem.out_channels` ratio. */
  stemTiedToStage1: boolean;
  /**
   * Channel count of each width digit (index d - 1) for the stem and for each stage's residual
   * path. With them, digits that must agree (the out digits of a stage's blocks, a tied stem and
   * stage 1) may differ when they give the same channel count: the network is the same, and the
   * Track-1 demo builds it. Without them the digits themselves must be equal.
   */
  outChannels?: { stem: readonly number[]; stages: readonly (readonly number[])[] };
  /** Named in error messages, e.g. "Track-1" or "the mini Track-1 space". */
  name?: string;
}

/** A supernet config that has no code form (not a ResNetSupernet, or a choice that is not one digit). */
export class CodeSpaceError extends UserError {}

/** A decoded code: the mutator choices plus what the code says outside of them. */
export interface ParsedCode {
  /** Every alias of the space (see aliases()); unused blocks get the first (largest) mid ratio. */
  choices: SubnetChoices;
  inputSize: number;
  /** Code length: bodyDigits, or bodyDigits + 1 with the size digit. */
  digits: number;
  /** Depth of each stage. */
  depths: number[];
}

export interface EncodeCodeOptions {
  /** Lead with the size digit `1` (the Track-1 challenge form); default true. */
  sizeDigit?: boolean;
}

const STEM_ALIAS = 'stem.out_channels';

/**
 * The code format `[size][depth per stage][stem][2 digits (mid, out) per block slot per stage]` of
 * the Track-1 challenge, for any ResNet-style space: Track-1 is the 4-stage instance with depths
 * 2..5/2..5/2..8/2..5 and seven ratios; a 3-stage space with depths 1..3 has 1 + 3 + 1 + 18 digits.
 * Slots beyond a stage's depth are written 00; a stage's blocks share one out width. Decoding reads
 * a stage's width from its first block's out digit; encoding writes it as every block's out digit
 * (and the tied stem's), so a code whose equal-width digits differ decodes to the choices of the
 * code with those digits made equal.
 */
export class ResNetCodeSpace {
  readonly name: string;
  readonly stages: number;
  readonly maxDepths: readonly number[];
  readonly depthChoices: readonly (readonly number[])[];
  readonly ratios: readonly number[];
  readonly inputSize: number;
  readonly stemTiedToStage1: boolean;
  readonly outChannels: ResNetCodeSpaceSpec['outChannels'];
  /** Digits without the size digit. */
  readonly bodyDigits: number;
  private readonly depthAliases: string[];
  private readonly outAliases: string[];
  private readonly midAliases: string[][];
  private readonly depthOk: boolean[][];
  private readonly choicesTemplate: SubnetChoices;

  constructor(spec: ResNetCodeSpaceSpec) {
    this.name = spec.name ?? 'ResNet';
    if (spec.depthChoices.length === 0 || spec.depthChoices.length > 9) {
      throw new CodeSpaceError(`A code space needs 1..9 stages, got ${spec.depthChoices.length}.`);
    }
    if (spec.ratios.length === 0 || spec.ratios.length > 9) {
      throw new CodeSpaceError(`A code writes a width ratio as one digit 1..9, so a space may have 1..9 ratios; got ${spec.ratios.length} (${spec.ratios.join(', ')}).`);
    }
    spec.depthChoices.forEach((ds, s) => {
      if (ds.length === 0 || ds.some((d) => !Number.isInteger(d) || d < 1 || d > 9)) {
        throw new CodeSpaceError(`A code writes a stage depth as one digit 1..9; stage ${s + 1} allows ${JSON.stringify(ds)}.`);
      }
    });
    this.stages = spec.depthChoices.length;
    this.depthChoices = spec.depthChoices.map((ds) => [...ds].sort((a, b) => a - b));
    this.maxDepths = this.depthChoices.map((ds) => ds[ds.length - 1]!);
    this.ratios = [...spec.ratios];
    this.inputSize = spec.inputSize;
    this.stemTiedToStage1 = spec.stemTiedToStage1;
    const oc = spec.outChannels;
    if (oc && (oc.stem.length !== this.ratios.length || oc.stages.length !== this.stages || oc.stages.some((c) => c.length !== this.ratios.length))) {
      throw new CodeSpaceError(`outChannels must give one channel count per ratio (${this.ratios.length}) for the stem and each of the ${this.stages} stages.`);
    }
    this.outChannels = oc;
    this.bodyDigits = this.stages + 1 + 2 * this.maxDepths.reduce((a, b) => a + b, 0);
    this.depthAliases = this.maxDepths.map((_, s) => depthAlias(s + 1));
    this.outAliases = this.maxDepths.map((_, s) => outAlias(s + 1));
    this.midAliases = this.maxDepths.map((max, s) => Array.from({ length: max }, (_, b) => midAlias(s + 1, b + 1)));
    this.depthOk = this.depthChoices.map((ds) => Array.from({ length: 10 }, (_, d) => ds.includes(d)));
    // V8 turns an object into a slow dictionary after about a dozen properties added by computed
    // key; copying a JSON-parsed template keeps decoded choices compact (about 3x faster).
    this.choicesTemplate = JSON.parse(JSON.stringify(Object.fromEntries(this.aliases().map((a) => [a, 0])))) as SubnetChoices;
  }

  /** Valid code lengths: with and without the size digit. */
  get lengths(): [number, number] {
    return [this.bodyDigits + 1, this.bodyDigits];
  }

  /** Every alias a decoded code fills, in code order (depths, then per stage its width and mids). */
  aliases(): string[] {
    const out = [...this.depthAliases];
    if (!this.stemTiedToStage1) out.push(STEM_ALIAS);
    for (let s = 0; s < this.stages; s++) out.push(this.outAliases[s]!, ...this.midAliases[s]!);
    return out;
  }

  /** Code digit of a ratio, or undefined if it is not one of the space's ratios. */
  ratioDigit(ratio: number): number | undefined {
    // Ratios may come from YAML or arithmetic, so compare with a tolerance far below their spacing.
    const i = this.ratios.findIndex((r) => Math.abs(r - ratio) < 1e-6);
    return i < 0 ? undefined : i + 1;
  }

  decode(code: string): SubnetChoices {
    return this.parse(code).choices;
  }

  /** Decode a code with everything it carries; throws Track1CodeError naming the bad digit. */
  parse(code: string): ParsedCode {
    // No closures here: tsx wraps each one in a naming helper, which dominated decode time over
    // the 45,000 official codes.
    const body = this.bodyDigits;
    if (code.length !== body && code.length !== body + 1) {
      const pos = Math.min(code.length, body + 1) + 1;
      throw new Track1CodeError(code, pos, code[pos - 1] ?? '', 'length', `it has ${code.length} characters, expected ${body + 1} (with the size digit) or ${body} for ${this.name}`);
    }
    for (let i = 0; i < code.length; i++) {
      const c = code.charCodeAt(i);
      if (c < 48 || c > 57) throw new Track1CodeError(code, i + 1, code[i]!, 'non_digit', 'every character must be a digit 0-9');
    }
    const offset = code.length - body;
    const maxDigit = this.ratios.length;
    if (offset === 1 && code.charCodeAt(0) - 48 !== 1) {
      throw codeError(code, 0, 'size_digit', `the size digit must be 1 (${this.inputSize} px), the only input size of ${this.name}`);
    }
    const depths: number[] = [];
    for (let s = 0; s < this.stages; s++) {
      const d = code.charCodeAt(offset + s) - 48;
      if (!this.depthOk[s]![d]) throw codeError(code, offset + s, 'depth_range', `stage ${s + 1} depth must be in ${describeChoices(this.depthChoices[s]!)}`);
      depths.push(d);
    }
    const stemPos = offset + this.stages;
    const stem = code.charCodeAt(stemPos) - 48;
    if (stem < 1 || stem > maxDigit) throw codeError(code, stemPos, 'ratio_range', `the stem ratio digit must be in 1..${maxDigit}`);

    const outs: number[] = [];
    const mids: number[] = [];
    const widths = this.outChannels;
    let pos = stemPos + 1;
    for (let s = 0; s < this.stages; s++) {
      const stage = s + 1;
      const depth = depths[s]!;
      const stageWidths = widths?.stages[s];
      let stageOut = 0;
      for (let b = 0; b < this.maxDepths[s]!; b++, pos += 2) {
        const mid = code.charCodeAt(pos) - 48;
        const out = code.charCodeAt(pos + 1) - 48;
        if (b >= depth) {
          if (mid !== 0 || out !== 0) {
            throw codeError(code, mid !== 0 ? pos : pos + 1, 'padding_nonzero', `stage ${stage} block ${b + 1} is beyond the depth ${depth}, its digits must be 00`);
          }
          mids.push(1);
          continue;
        }
        checkUsedDigit(code, pos, mid, maxDigit, stage, b + 1, depth, 'mid');
        checkUsedDigit(code, pos + 1, out, maxDigit, stage, b + 1, depth, 'out');
        if (b === 0) stageOut = out;
        else if (out !== stageOut && (stageWidths === undefined || stageWidths[out - 1] !== stageWidths[stageOut - 1])) {
          const detail = stageWidths === undefined
            ? `stage ${stage} block ${b + 1} out digit differs from block 1's (${stageOut})`
            : `stage ${stage} block ${b + 1} out digit gives ${stageWidths[out - 1]} channels but block 1's (${stageOut}) gives ${stageWidths[stageOut - 1]}`;
          throw codeError(code, pos + 1, 'stage_out_mismatch', `${detail}; a stage has one residual width`);
        }
        mids.push(mid);
      }
      if (s === 0 && this.stemTiedToStage1 && stem !== stageOut && (widths === undefined || widths.stem[stem - 1] !== widths.stem[stageOut - 1])) {
        const detail = widths === undefined
          ? `the stem digit must equal stage 1's out digit (${stageOut})`
          : `the stem digit gives ${widths.stem[stem - 1]} channels but stage 1's out digit (${stageOut}) gives ${widths.stem[stageOut - 1]}`;
        throw codeError(code, stemPos, 'stem_mismatch', `${detail}; the stem feeds stage 1's residual path`);
      }
      outs.push(stageOut);
    }
    // Fill in aliases() order.
    const choices: SubnetChoices = { ...this.choicesTemplate };
    for (let s = 0; s < this.stages; s++) choices[this.depthAliases[s]!] = depths[s]!;
    if (!this.stemTiedToStage1) choices[STEM_ALIAS] = this.ratios[stem - 1]!;
    for (let s = 0, k = 0; s < this.stages; s++) {
      choices[this.outAliases[s]!] = this.ratios[outs[s]! - 1]!;
      for (const alias of this.midAliases[s]!) choices[alias] = this.ratios[mids[k++]! - 1]!;
    }
    return { choices, inputSize: this.inputSize, digits: code.length, depths };
  }

  /**
   * Encode mutator choices as a code. Mid ratios of blocks beyond a stage's depth are ignored
   * (written 00). An `input_size` key, if present, must be the space's; any other unknown key is refused.
   */
  encode(choices: SubnetChoices, options: EncodeCodeOptions = {}): string {
    const known = new Set<string>(['input_size']);
    const take = (alias: string): number => {
      known.add(alias);
      const v = choices[alias];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Track1ChoicesError(alias, v, 'a number (the alias is missing or not numeric)');
      return v;
    };
    const takeRatio = (alias: string): number => {
      const d = this.ratioDigit(take(alias));
      if (d === undefined) throw new Track1ChoicesError(alias, choices[alias], `one of the ratios ${this.ratios.join(', ')}`);
      return d;
    };
    if ('input_size' in choices && choices.input_size !== this.inputSize) {
      throw new Track1ChoicesError('input_size', choices.input_size, `${this.inputSize} (the only input size of ${this.name})`);
    }
    const depths = this.depthAliases.map((alias, s) => {
      const d = take(alias);
      if (!Number.isInteger(d) || !this.depthChoices[s]!.includes(d)) throw new Track1ChoicesError(alias, d, `an integer in ${describeChoices(this.depthChoices[s]!)}`);
      return d;
    });
    const outs = this.outAliases.map((alias) => takeRatio(alias));
    const stem = this.stemTiedToStage1 ? outs[0]! : takeRatio(STEM_ALIAS);
    const parts: number[] = options.sizeDigit === false ? [] : [1];
    parts.push(...depths, stem);
    for (let s = 0; s < this.stages; s++) {
      for (let b = 0; b < this.maxDepths[s]!; b++) {
        const alias = this.midAliases[s]![b]!;
        if (b < depths[s]!) parts.push(takeRatio(alias), outs[s]!);
        else {
          known.add(alias);
          parts.push(0, 0);
        }
      }
    }
    for (const key of Object.keys(choices)) {
      if (!known.has(key)) throw new Track1ChoicesError(key, choices[key], `no such alias in ${this.name} (see aliases())`);
    }
    return parts.join('');
  }
}

/** The error for the digit at 0-based index i of code. */
function codeError(code: string, i: number, rule: Track1CodeRule, detail: string): Track1CodeError {
  return new Track1CodeError(code, i + 1, code[i]!, rule, detail);
}

function checkUsedDigit(code: string, i: number, v: number, maxDigit: number, stage: number, block: number, depth: number, what: string): void {
  if (v === 0) throw codeError(code, i, 'used_block_zero', `stage ${stage} block ${block} is used (depth ${depth}), its ${what} ratio digit must be in 1..${maxDigit}`);
  if (v > maxDigit) throw codeError(code, i, 'ratio_range', `stage ${stage} block ${block} ${what} ratio digit must be in 1..${maxDigit}`);
}

/** "2..5" for a contiguous range, else "one of 1, 3, 5". */
function describeChoices(ds: readonly number[]): string {
  const contiguous = ds.every((d, i) => i === 0 || d === ds[i - 1]! + 1);
  return contiguous ? `${ds[0]}..${ds[ds.length - 1]}` : `one of ${ds.join(', ')}`;
}
