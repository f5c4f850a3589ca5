import { describe, expect, it } from 'vitest';
import { bootstrapKendall } from '../../src/evaluation/rank_bootstrap.js';
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
