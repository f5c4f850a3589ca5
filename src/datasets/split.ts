import { Rng } from '../services/rng.js';
import { DatasetError } from './errors.js';

/** Hold out a seeded fraction of a training set as validation (Track-1 forbids tuning on test labels). */
export interface SplitConfig {
  /** Fraction of the samples that form the validation part, in (0, 1). */
  val_fraction: number;
  seed: number;
  part: 'train' | 'val';
}

export const SPLIT_SCHEMA = {
  type: 'object',
  description: 'Hold out a seeded fraction of this (training) set as validation; pick which part this dataset is.',
  properties: {
    val_fraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Fraction held out as validation.' },
    seed: { type: 'integer', default: 0, description: 'Seed of the hold-out draw (the same seed gives the same parts).' },
    part: { type: 'string', enum: ['train', 'val'], description: 'Which part this dataset yields.' },
  },
  required: ['val_fraction', 'part'],
  additionalProperties: false,
} as const;

/**
 * Indices (ascending) of the samples a dataset keeps: all of them without a split, else the chosen
 * part of a seeded permutation. The val part is the first round(n * val_fraction) of that permutation.
 */
export function selectIndices(total: number, split?: Partial<SplitConfig> | null): Int32Array {
  if (!split) return Int32Array.from({ length: total }, (_, i) => i);
  const fraction = split.val_fraction;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new DatasetError(`split.val_fraction must be a number in (0, 1), got ${JSON.stringify(fraction)}.`);
  }
  if (split.part !== 'train' && split.part !== 'val') {
    throw new DatasetError(`split.part must be 'train' or 'val', got ${JSON.stringify(split.part)}.`);
  }
  const numVal = Math.round(total * fraction);
  if (numVal < 1 || numVal > total - 1) {
    throw new DatasetError(
      `split.val_fraction ${fraction} of ${total} samples leaves an empty part (${numVal} val, ${total - numVal} train).`,
    );
  }
  const order = new Rng(`split:${split.seed ?? 0}`).shuffle(Array.from({ length: total }, (_, i) => i));
  const picked = split.part === 'val' ? order.slice(0, numVal) : order.slice(numVal);
  return Int32Array.from(picked.sort((a, b) => a - b));
}
