import { Rng } from '../services/rng.js';
import { kendallTauB } from './rank_metrics.js';

export interface BootstrapInterval {
  low: number;
  high: number;
  level: number;
  samples: number;
}

/**
 * Percentile bootstrap interval of Kendall tau-b: the subnets are resampled with replacement
 * `samples` times (seeded, so a report is reproducible). With 30 subnets tau's standard error is
 * about 0.1, so two methods closer than that cannot be told apart; this interval says so.
 * Resamples whose tau is undefined (one side constant) are skipped.
 */
export function bootstrapKendall(predicted: ArrayLike<number>, truth: ArrayLike<number>,
    options: { samples?: number; level?: number; seed?: number } = {}): BootstrapInterval {
  const { low, high, level, samples } = pairedBootstrap(predicted.length,
    (idx) => kendallTauB(idx.map((j) => predicted[j]!), idx.map((j) => truth[j]!)), options);
  return { low, high, level, samples };
}

export interface PairedInterval extends BootstrapInterval {
  /** The statistic on the subnets as they are (not resampled). */
  mean: number;
}

/**
 * Percentile bootstrap of a statistic of resampled subnet indices, typically a difference of two
 * rankers' taus: both sides see the same resample, so their shared luck cancels and the interval
 * is that of the difference, far narrower than the two taus' own intervals suggest. Resamples where
 * the statistic is not finite are skipped.
 */
export function pairedBootstrap(n: number, stat: (indices: number[]) => number,
    options: { samples?: number; level?: number; seed?: number | string } = {}): PairedInterval {
  const samples = options.samples ?? 1000;
  const level = options.level ?? 0.9;
  const rng = new Rng(options.seed ?? 0);
  const values: number[] = [];
  for (let s = 0; s < samples; s++) {
    const v = stat(Array.from({ length: n }, () => rng.int(n)));
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.floor(q * values.length)))] ?? Number.NaN;
  return { mean: stat(Array.from({ length: n }, (_, i) => i)), low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), level, samples };
}
