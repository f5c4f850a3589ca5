import { describe, expect, it } from 'vitest';
import {
  RankMetricError,
  averageRanks,
  kendallTauB,
  pearson,
  rankConsistency,
  spearman,
} from '../../src/evaluation/rank_metrics.js';
import { Rng } from '../../src/services/rng.js';

/** O(n^2) tau-b straight from the definition: (C - D) / sqrt((n0 - n1)(n0 - n2)). */
function bruteTauB(x: number[], y: number[]): number {
  let c = 0;
  let d = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const s = Math.sign(x[i]! - x[j]!) * Math.sign(y[i]! - y[j]!);
      if (s > 0) c++;
      else if (s < 0) d++;
      if (x[i] === x[j]) tx++;
      if (y[i] === y[j]) ty++;
    }
  }
  const n0 = (x.length * (x.length - 1)) / 2;
  return (c - d) / Math.sqrt((n0 - tx) * (n0 - ty));
}

describe('rank metrics', () => {
  it('match hand-computed values without ties', () => {
    // Pairs of [1..5] vs [3,4,1,2,5]: 6 concordant, 4 discordant -> (6 - 4) / 10.
    expect(kendallTauB([1, 2, 3, 4, 5], [3, 4, 1, 2, 5])).toBeCloseTo(0.2, 12);
    // Deviations (-1.5,-.5,.5,1.5) and (-.5,-1.5,1.5,.5): sum of products 3, sums of squares 5 and 5.
    expect(pearson([1, 2, 3, 4], [2, 1, 4, 3])).toBeCloseTo(0.6, 12);
    expect(kendallTauB([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(kendallTauB([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 1000])).toBeCloseTo(1, 12);
  });

  it('handle ties like the reference examples (scipy.stats documentation)', () => {
    // x ties: {12,12}, {2,2} -> n1 = 2; y ties: {1,1} -> n2 = 1; C - D = -4 -> -4 / sqrt(8 * 9).
    expect(kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-4 / Math.sqrt(72), 12);
    expect(kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-0.47140452079103173, 12);
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
    const x = [1, 1, 2, 2, 3, 3, 4];
    const y = [1, 2, 1, 2, 3, 3, 1];
    expect(kendallTauB(x, y)).toBeCloseTo(0.23570226039551587, 12);
    expect(spearman(x, y)).toBeCloseTo(0.23310860696574348, 12);
    expect(pearson(x, y)).toBeCloseTo(0.21404317236952225, 12);
    expect([...averageRanks([10, 20, 10, 30, 20, 20])]).toEqual([1.5, 4, 1.5, 6, 4, 4]);
  });

  it('O(n log n) tau-b equals the O(n^2) definition on random data with ties', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 40; trial++) {
      const n = 2 + rng.int(300);
      const levels = 1 + rng.int(trial % 2 === 0 ? 6 : 1000); // few levels -> many ties
      const x = Array.from({ length: n }, () => rng.int(levels) / 10);
      const y = x.map((v) => (rng.random() < 0.5 ? v : rng.int(levels) / 10));
      const brute = bruteTauB(x, y);
      const fast = kendallTauB(x, y);
      if (Number.isNaN(brute)) expect(fast).toBeNaN();
      else expect(fast).toBeCloseTo(brute, 12);
    }
  });

  it('return NaN for a constant side and refuse unusable input', () => {
    expect(kendallTauB([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
    expect(() => kendallTauB([1, 2], [1])).toThrow(RankMetricError);
    expect(() => pearson([1], [1])).toThrow(/at least 2 pairs/);
    expect(() => spearman([1, Number.NaN], [1, 2])).toThrow(/pair at index 1 is \(NaN, 2\)/);
  });

  it('rankConsistency reports every leaderboard figure; 45,000 pairs in well under a second', () => {
    const rng = new Rng(1);
    const truth = Array.from({ length: 45000 }, () => Math.round(rng.random() * 1e4) / 1e4);
    const pred = truth.map((t) => Math.round((t + 0.3 * rng.random()) * 1e3) / 1e3);
    const t0 = performance.now();
    const r = rankConsistency(pred, truth);
    const ms = performance.now() - t0;
    expect(r.n).toBe(45000);
    expect(r.abs_pearson).toBe(Math.abs(r.pearson));
    expect(r.kendall_tau).toBeGreaterThan(0.5);
    // A loose bound that still fails an O(n^2) pass (about 1e9 pair visits); figures in docs/track1.md.
    expect(ms).toBeLessThan(3000);
    const neg = rankConsistency([3, 2, 1], [1, 2, 3]);
    expect(neg).toEqual({ n: 3, kendall_tau: -1, pearson: -1, abs_pearson: 1, spearman: -1 });
  });
});
