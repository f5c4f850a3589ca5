import { Rng } from '../services/rng.js';
import { kendallTauB } from '../evaluation/rank_metrics.js';
import type { Predictor } from './types.js';
import { PredictorError } from './types.js';

export interface CvOptions {
  /** Labelled subnets the predictor is fitted on; the others are the test set. */
  trainSize: number;
  repeats: number;
  seed: number;
  /** Level of the percentile interval over splits (default 0.9). */
  level?: number;
}

export interface CvSummary {
  mean: number;
  median: number;
  /** Percentile interval of the test-set Kendall tau over the random splits. */
  low: number;
  high: number;
  taus: number[];
}

export interface CvReport {
  train_size: number;
  test_size: number;
  repeats: number;
  level: number;
  predictor: Omit<CvSummary, 'taus'>;
  /** Each baseline score column (a proxy), on the same test sets. */
  baselines: Record<string, Omit<CvSummary, 'taus'>>;
  /** Predictor tau minus the named baseline's, per split: mean, interval, and the share of splits the predictor wins. */
  versus: { baseline: string; mean: number; low: number; high: number; wins: number };
}

function summarize(taus: number[], level: number): CvSummary {
  const sorted = [...taus].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))]!;
  return { mean: taus.reduce((a, b) => a + b, 0) / taus.length, median: at(0.5), low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), taus };
}

const strip = ({ taus: _t, ...rest }: CvSummary) => rest;

/**
 * Repeated random-split cross-validation of a predictor by Kendall tau on the held-out subnets,
 * with label-free baseline scores (proxies) evaluated on exactly the same test sets. `versus`
 * compares with the baseline named `against` split by split (paired).
 */
export function crossValidate(x: readonly number[][], y: readonly number[], make: () => Predictor, options: CvOptions,
    baselines: Record<string, readonly number[]> = {}, against?: string): CvReport {
  const n = y.length;
  const { trainSize, repeats } = options;
  const level = options.level ?? 0.9;
  if (trainSize < 2 || trainSize > n - 2) throw new PredictorError(`Cross-validation: train size ${trainSize} leaves too few of the ${n} subnets (at least 2 each side).`);
  const rng = new Rng(options.seed);
  const taus: number[] = [];
  const baseTaus: Record<string, number[]> = Object.fromEntries(Object.keys(baselines).map((k) => [k, []]));
  for (let r = 0; r < repeats; r++) {
    const order = rng.shuffle([...Array(n).keys()]);
    const train = order.slice(0, trainSize);
    const test = order.slice(trainSize);
    const p = make();
    p.fit(train.map((i) => x[i]!), train.map((i) => y[i]!));
    const pred = p.predict(test.map((i) => x[i]!)).mean;
    const truth = test.map((i) => y[i]!);
    taus.push(kendallTauB(pred, truth));
    for (const [name, col] of Object.entries(baselines)) baseTaus[name]!.push(kendallTauB(test.map((i) => col[i]!), truth));
  }
  const ref = against ?? Object.keys(baselines)[0];
  const diffs = ref ? taus.map((t, i) => t - baseTaus[ref]![i]!) : [];
  const d = diffs.length ? summarize(diffs, level) : undefined;
  return {
    train_size: trainSize, test_size: n - trainSize, repeats, level,
    predictor: strip(summarize(taus, level)),
    baselines: Object.fromEntries(Object.entries(baseTaus).map(([k, v]) => [k, strip(summarize(v, level))])),
    versus: { baseline: ref ?? '', mean: d?.mean ?? NaN, low: d?.low ?? NaN, high: d?.high ?? NaN, wins: diffs.filter((v) => v > 0).length / Math.max(1, diffs.length) },
  };
}
