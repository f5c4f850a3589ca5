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
  versus: Versus;
  /**
   * The baseline a user with only the training labels would pick: per split, the one whose Kendall
   * on the training subnets is highest, scored on the test subnets; and the predictor against it.
   */
  selected_baseline: Omit<CvSummary, 'taus'> & { picks: Record<string, number> };
  versus_selected: Versus;
}

export interface Versus {
  baseline: string;
  mean: number;
  low: number;
  high: number;
  wins: number;
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
  const selectedTaus: number[] = [];
  const picks: Record<string, number> = {};
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
    const trainTruth = train.map((i) => y[i]!);
    let pick: string | undefined;
    let pickTau = -Infinity;
    for (const [name, col] of Object.entries(baselines)) {
      const t = kendallTauB(train.map((i) => col[i]!), trainTruth);
      if (t > pickTau) [pick, pickTau] = [name, t];
    }
    if (pick) {
      picks[pick] = (picks[pick] ?? 0) + 1;
      selectedTaus.push(baseTaus[pick]!.at(-1)!);
    }
  }
  const ref = against ?? Object.keys(baselines)[0];
  const versus = (name: string, other: number[]): Versus => {
    const diffs = taus.map((t, i) => t - other[i]!);
    const d = diffs.length && other.length ? summarize(diffs, level) : undefined;
    return { baseline: name, mean: d?.mean ?? NaN, low: d?.low ?? NaN, high: d?.high ?? NaN, wins: d ? diffs.filter((v) => v > 0).length / diffs.length : NaN };
  };
  const selected = selectedTaus.length ? strip(summarize(selectedTaus, level)) : { mean: NaN, median: NaN, low: NaN, high: NaN };
  return {
    train_size: trainSize, test_size: n - trainSize, repeats, level,
    predictor: strip(summarize(taus, level)),
    baselines: Object.fromEntries(Object.entries(baseTaus).map(([k, v]) => [k, strip(summarize(v, level))])),
    versus: versus(ref ?? '', ref ? baseTaus[ref]! : []),
    selected_baseline: { ...selected, picks },
    versus_selected: versus('selected on the training subnets', selectedTaus),
  };
}
