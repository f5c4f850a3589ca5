import { UserError } from '../errors.js';
import type { NamedTrack1File } from '../track1/merge.js';
import { rankConsistency, type RankConsistency } from './rank_metrics.js';

/** Accuracies of the keys two Track-1 files share, in the predicted file's order. */
export interface PairedAccuracies {
  keys: string[];
  predicted: Float64Array;
  truth: Float64Array;
  /** Keys with an accuracy in only one of the files. */
  onlyInPredicted: string[];
  onlyInTruth: string[];
}

export class NoCommonKeysError extends UserError {}

/** Pair two Track-1 files (entries must carry `acc`) on their common keys. */
export function pairTrack1Accuracies(predicted: NamedTrack1File, truth: NamedTrack1File): PairedAccuracies {
  const truthAcc = new Map(truth.entries.map((e) => [e.key, e.value.acc]));
  const predKeys = new Set(predicted.entries.map((e) => e.key));
  const keys: string[] = [];
  const p: number[] = [];
  const t: number[] = [];
  const onlyInPredicted: string[] = [];
  for (const { key, value } of predicted.entries) {
    const gt = truthAcc.get(key);
    if (gt === undefined) onlyInPredicted.push(key);
    else if (value.acc !== undefined) {
      keys.push(key);
      p.push(value.acc);
      t.push(gt);
    }
  }
  if (keys.length === 0) {
    throw new NoCommonKeysError(`${predicted.path} and ${truth.path} share no key (first keys: "${predicted.entries[0]?.key}" and "${truth.entries[0]?.key}"); nothing to compare.`);
  }
  const onlyInTruth = truth.entries.filter((e) => !predKeys.has(e.key)).map((e) => e.key);
  return { keys, predicted: Float64Array.from(p), truth: Float64Array.from(t), onlyInPredicted, onlyInTruth };
}

/** Rank consistency of a prediction file against a ground-truth file, on their common keys. */
export function compareTrack1Files(predicted: NamedTrack1File, truth: NamedTrack1File): { metrics: RankConsistency; pairs: PairedAccuracies } {
  const pairs = pairTrack1Accuracies(predicted, truth);
  return { metrics: rankConsistency(pairs.predicted, pairs.truth), pairs };
}
