import { describe, expect, it } from 'vitest';
import { compareNearPairs, nearPairs, pairsKendall } from '../../bench/ranking/local_kendall.js';

describe('near-pair Kendall (pairs of similar MACs)', () => {
  it('keeps only pairs within the MACs ratio', () => {
    expect(nearPairs([100, 120, 200, 290], 1.5)).toEqual([[0, 1], [2, 3]]);
    expect(nearPairs([100, 150], 1.5)).toEqual([]);
  });

  it('counts concordant minus discordant over the untied pairs (hand-computed)', () => {
    const truth = [1, 2, 3, 4];
    // pairs (0,1) concordant, (1,2) discordant, (2,3) tied in pred: (1 - 1) / 2
    expect(pairsKendall([1, 3, 2, 2], truth, [[0, 1], [1, 2], [2, 3]])).toBe(0);
    expect(pairsKendall([4, 3, 2, 1], truth, [[0, 3], [1, 2]])).toBe(-1);
    expect(pairsKendall([1, 1], [1, 2], [[0, 1]])).toBeNaN();
  });

  it('a proxy that orders only far-apart pairs right loses on near pairs to one that orders near pairs right', () => {
    // Two cost tiers; within a tier accuracy is decided by something MACs do not see.
    const macs = [100, 101, 102, 103, 1000, 1001, 1002, 1003];
    const truth = [0.4, 0.2, 0.3, 0.1, 0.9, 0.7, 0.8, 0.6];
    const oracle = [...truth];
    const cmp = compareNearPairs([oracle], macs, truth, macs, 1.5, 200);
    expect(cmp.pairs).toBe(12);
    expect(cmp.tau).toBe(1);
    expect(cmp.proxy_tau).toBeLessThan(0);
    expect(cmp.minus_proxy.low).toBeGreaterThan(0);
  });
});
