import { describe, expect, it } from 'vitest';
import { bootstrapKendall, pairedBootstrap } from '../../src/evaluation/rank_bootstrap.js';
import { kendallTauB } from '../../src/evaluation/rank_metrics.js';
import { Rng } from '../../src/services/rng.js';

describe('bootstrapKendall', () => {
  it('is [1, 1] for a perfect ranking and [-1, -1] for a reversed one', () => {
    const x = Array.from({ length: 12 }, (_, i) => i);
    expect(bootstrapKendall(x, x.map((v) => 2 * v + 1), { samples: 200 })).toMatchObject({ low: 1, high: 1 });
    expect(bootstrapKendall(x, x.map((v) => -v), { samples: 200 })).toMatchObject({ low: -1, high: -1 });
  });

  it('is reproducible from its seed and contains the point estimate of a noisy ranking', () => {
    const rng = new Rng(3);
    const truth = Array.from({ length: 30 }, () => rng.random());
    const pred = truth.map((t) => t + 0.3 * rng.random());
    const a = bootstrapKendall(pred, truth, { samples: 500, seed: 7 });
    expect(bootstrapKendall(pred, truth, { samples: 500, seed: 7 })).toEqual(a);
    const tau = kendallTauB(pred, truth);
    expect(a.low).toBeLessThan(tau);
    expect(a.high).toBeGreaterThan(tau);
    expect(a.high - a.low).toBeGreaterThan(0.05);
    expect(a.high - a.low).toBeLessThan(0.6);
  });

  it('narrows as the interval level drops', () => {
    const rng = new Rng(5);
    const truth = Array.from({ length: 30 }, () => rng.random());
    const pred = truth.map((t) => t + 0.5 * rng.random());
    const wide = bootstrapKendall(pred, truth, { samples: 400, level: 0.95 });
    const narrow = bootstrapKendall(pred, truth, { samples: 400, level: 0.5 });
    expect(narrow.high - narrow.low).toBeLessThan(wide.high - wide.low);
  });
});

describe('pairedBootstrap', () => {
  const rng = new Rng(11);
  const truth = Array.from({ length: 40 }, () => rng.random());
  const good = truth.map((t) => t + 0.2 * rng.random());
  const bad = truth.map((t) => t + 0.8 * rng.random());
  const tauOf = (p: number[], idx: number[]) => kendallTauB(idx.map((i) => p[i]!), idx.map((i) => truth[i]!));

  it('gives the statistic on the unresampled subnets as its mean, and the same interval for the same seed', () => {
    const a = pairedBootstrap(truth.length, (idx) => tauOf(good, idx) - tauOf(bad, idx), { samples: 300, seed: 'x' });
    expect(a.mean).toBeCloseTo(kendallTauB(good, truth) - kendallTauB(bad, truth), 12);
    expect(pairedBootstrap(truth.length, (idx) => tauOf(good, idx) - tauOf(bad, idx), { samples: 300, seed: 'x' })).toEqual(a);
    expect(a.low).toBeLessThan(a.mean);
    expect(a.high).toBeGreaterThan(a.mean);
  });

  it('is narrower for a difference than the two taus resampled independently', () => {
    // Two rankers that share most of their error: the paired difference cancels it.
    const shared = truth.map((t) => t + 0.6 * rng.random());
    const other = shared.map((v) => v + 0.05 * rng.random());
    const paired = pairedBootstrap(truth.length, (idx) => tauOf(shared, idx) - tauOf(other, idx), { samples: 400 });
    const one = bootstrapKendall(shared, truth, { samples: 400 });
    expect(paired.high - paired.low).toBeLessThan((one.high - one.low) / 2);
  });

  it('skips resamples whose statistic is not finite', () => {
    let calls = 0;
    const r = pairedBootstrap(10, () => (calls++ % 2 === 0 ? Number.NaN : 1), { samples: 100 });
    expect(r).toMatchObject({ low: 1, high: 1, samples: 100 });
  });
});
