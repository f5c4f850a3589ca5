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
  const samples = options.samples ?? 1000;
  const level = options.level ?? 0.9;
  const n = predicted.length;
  const rng = new Rng(options.seed ?? 0);
  const taus: number[] = [];
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) {
      const j = rng.int(n);
      x[i] = predicted[j]!;
      y[i] = truth[j]!;
    }
    const tau = kendallTauB(x, y);
    if (!Number.isNaN(tau)) taus.push(tau);
  }
  taus.sort((a, b) => a - b);
  const at = (q: number) => taus[Math.min(taus.length - 1, Math.max(0, Math.floor(q * taus.length)))] ?? Number.NaN;
  return { low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), level, samples };
}
