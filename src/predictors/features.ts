import type { Supernet } from '../models/types.js';
import type { ResNetCodeSpace } from '../track1/code_space.js';
import type { Track1Entry } from '../track1/format.js';
import { PredictorError } from './types.js';

/** Which features describe a subnet. */
export interface FeatureSpec {
  /** Every choice of the code: stage depths, width ratios, and each block's mid ratio (0 for blocks beyond the depth). */
  choices: boolean;
  /** log10 of MACs and of params (counted analytically). */
  complexity: boolean;
  /** Named columns from Track-1 JSON files (a proxy's or a supernet's scores as `acc`), looked up by code. */
  extra: string[];
}

/** Values of the extra features: name -> code -> value. */
export type ExtraFeatures = Map<string, Map<string, number>>;

export interface FeatureContext {
  space: ResNetCodeSpace;
  /** Needed for `complexity` (a tensor-free supernet is enough). */
  supernet?: Supernet;
  extra: ExtraFeatures;
}

const MID = /^stage(\d+)\.block(\d+)\.mid_channels$/;

export function featureNames(spec: FeatureSpec, space: ResNetCodeSpace): string[] {
  return [
    ...(spec.choices ? space.aliases() : []),
    ...(spec.complexity ? ['log10_macs', 'log10_params'] : []),
    ...spec.extra,
  ];
}

/** The feature row of one code. */
export function featureRow(code: string, spec: FeatureSpec, ctx: FeatureContext): number[] {
  const parsed = ctx.space.parse(code);
  const row: number[] = [];
  if (spec.choices) {
    for (const alias of ctx.space.aliases()) {
      const m = MID.exec(alias);
      row.push(m && Number(m[2]) > parsed.depths[Number(m[1]) - 1]! ? 0 : parsed.choices[alias]!);
    }
  }
  if (spec.complexity) {
    if (!ctx.supernet) throw new PredictorError('The complexity features need the supernet of the config.');
    const c = ctx.supernet.complexity(parsed.choices);
    row.push(Math.log10(c.macs), Math.log10(c.params));
  }
  for (const name of spec.extra) {
    const values = ctx.extra.get(name);
    if (!values) throw new PredictorError(`Feature '${name}' was not given (--feature ${name}=FILE.json).`);
    const v = values.get(code);
    if (v === undefined) throw new PredictorError(`Feature '${name}' has no value for arch ${code}; score that file's architectures too.`);
    row.push(v);
  }
  return row;
}

/** A Track-1 JSON's `acc` values by code, as one extra feature column. */
export function featureColumn(name: string, file: string, entries: readonly Track1Entry[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of entries) {
    if (typeof e.value.acc !== 'number' || !Number.isFinite(e.value.acc)) {
      throw new PredictorError(`Feature '${name}' (${file}), key "${e.key}": no finite "acc".`);
    }
    out.set(e.value.arch, e.value.acc);
  }
  return out;
}
