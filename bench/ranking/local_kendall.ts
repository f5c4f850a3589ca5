// Kendall tau over the pairs of subnets of similar cost: on a ground truth whose accuracies follow
// capacity, the FLOPs proxy orders far-apart pairs right for free, so the whole-GT tau cannot show
// whether a method ranks what FLOPs cannot. Restricted to pairs whose MACs differ by less than a
// ratio, FLOPs has to earn its agreement like any method.
import { pairedBootstrap } from '../../src/evaluation/rank_bootstrap.js';

/** The pairs (i < j) of `macs` whose larger MACs is less than `ratio` times the smaller. */
export function nearPairs(macs: readonly number[], ratio: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < macs.length; i++) {
    for (let j = i + 1; j < macs.length; j++) {
      if (Math.max(macs[i]!, macs[j]!) < ratio * Math.min(macs[i]!, macs[j]!)) pairs.push([i, j]);
    }
  }
  return pairs;
}

/** (concordant - discordant) / (pairs untied in both) over the given index pairs; NaN with none. */
export function pairsKendall(pred: readonly number[], truth: readonly number[], pairs: readonly (readonly [number, number])[]): number {
  let concordant = 0;
  let discordant = 0;
  for (const [i, j] of pairs) {
    const s = Math.sign(pred[i]! - pred[j]!) * Math.sign(truth[i]! - truth[j]!);
    if (s > 0) concordant++;
    else if (s < 0) discordant++;
  }
  return concordant + discordant === 0 ? Number.NaN : (concordant - discordant) / (concordant + discordant);
}

export interface LocalComparison {
  ratio: number;
  pairs: number;
  /** Mean over the predictions (seeds) of their near-pair tau, and the proxy's. */
  tau: number;
  proxy_tau: number;
  /** 90 % percentile bootstrap of tau - proxy_tau over resampled subnets (the same resamples for both). */
  minus_proxy: { mean: number; low: number; high: number };
}

/** Near-pair tau of the mean over `preds` against `proxy`, with a paired bootstrap over subnets. */
export function compareNearPairs(preds: readonly number[][], proxy: readonly number[], truth: readonly number[], macs: readonly number[], ratio: number, samples = 1000): LocalComparison {
  const stat = (idx: number[]): [number, number] => {
    const sub = (v: readonly number[]) => idx.map((i) => v[i]!);
    // Resampled copies of one subnet form no pair: their MACs are equal but they are one subnet.
    const pairs = nearPairs(sub(macs), ratio).filter(([a, b]) => idx[a] !== idx[b]);
    const t = sub(truth);
    return [preds.reduce((s, p) => s + pairsKendall(sub(p), t, pairs), 0) / preds.length, pairsKendall(sub(proxy), t, pairs)];
  };
  const all = Array.from({ length: truth.length }, (_, i) => i);
  const [tau, proxyTau] = stat(all);
  const diff = pairedBootstrap(truth.length, (idx) => {
    const [a, b] = stat(idx);
    return a - b;
  }, { samples, seed: `near-pairs:${ratio}` });
  return { ratio, pairs: nearPairs(macs, ratio).length, tau, proxy_tau: proxyTau, minus_proxy: { mean: diff.mean, low: diff.low, high: diff.high } };
}
