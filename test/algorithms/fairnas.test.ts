import { describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import '../../src/engine/losses.js';
import { FairNAS } from '../../src/algorithms/fairnas.js';
import { BigNAS } from '../../src/algorithms/bignas.js';
import { StrictFairSampler, UniformSampler } from '../../src/algorithms/samplers/index.js';
import { Rng } from '../../src/services/rng.js';
import { RecordingOptimWrapper, TinySupernet, context, tinyBatch } from './tiny_supernet.js';

const WIDTHS = [2, 3, 4, 5, 6, 7, 8];
const DEPTHS = [1, 2, 3];

/** Every block [r*k, r*k+k) of a mutable's draws must be a permutation of its k choices. */
function roundsAreFair(draws: Record<string, number>[], alias: string, choices: number[]): boolean {
  const k = choices.length;
  for (let r = 0; (r + 1) * k <= draws.length; r++) {
    const got = draws.slice(r * k, (r + 1) * k).map((d) => d[alias]!).sort((a, b) => a - b);
    if (JSON.stringify(got) !== JSON.stringify([...choices].sort((a, b) => a - b))) return false;
  }
  return true;
}

describe('StrictFairSampler', () => {
  const net = new TinySupernet({ widths: WIDTHS, depths: DEPTHS });

  it('uses each choice of each mutable exactly once per round (7 widths, 3 depths)', () => {
    for (const seed of [0, 1, 2]) {
      const sampler = new StrictFairSampler();
      const ctx = { epoch: 0, rng: new Rng(seed) };
      const draws = Array.from({ length: 42 }, () => sampler.sample(net, ctx));
      expect(roundsAreFair(draws, 'hidden.out_channels', WIDTHS)).toBe(true);
      expect(roundsAreFair(draws, 'depth', DEPTHS)).toBe(true);
      // The rounds are shuffled, not a fixed cycle.
      expect(new Set([0, 1, 2, 3, 4, 5].map((r) => draws.slice(7 * r, 7 * r + 7).map((d) => d['hidden.out_channels']).join())).size).toBeGreaterThan(1);
    }
  });

  it('a uniform sampler fails the same check (the check can fail)', () => {
    const sampler = new UniformSampler();
    const ctx = { epoch: 0, rng: new Rng(0) };
    const draws = Array.from({ length: 42 }, () => sampler.sample(net, ctx));
    expect(roundsAreFair(draws, 'hidden.out_channels', WIDTHS)).toBe(false);
  });

  it('resumes mid-round from its saved state', () => {
    const a = new StrictFairSampler();
    const rng = new Rng(5);
    const first = Array.from({ length: 3 }, () => a.sample(net, { epoch: 0, rng }));
    const b = new StrictFairSampler();
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    expect(b.pending('hidden.out_channels')).toEqual(a.pending('hidden.out_channels'));
    const rest = Array.from({ length: 4 }, () => b.sample(net, { epoch: 0, rng }));
    expect(roundsAreFair([...first, ...rest], 'hidden.out_channels', WIDTHS)).toBe(true);
  });
});

describe('FairNAS step', () => {
  it('trains one round of strict-fair paths on one batch, then takes one optimizer step', () => {
    const algo = new FairNAS({ architecture: { type: 'test/TinySupernet', widths: WIDTHS, depths: DEPTHS }, loss: { type: 'CrossEntropyLoss' } });
    const net = algo.architecture as TinySupernet;
    expect(algo.numPaths).toBe(7);
    const optim = new RecordingOptimWrapper(algo, net);
    const batch = tinyBatch();
    for (let step = 0; step < 3; step++) {
      const before = optim.calls.length;
      const out = algo.trainStep(batch, context(optim, new Rng(step)));
      const paths = optim.calls.slice(before);
      expect(paths.length).toBe(7);
      expect(paths.map((c) => c.choices['hidden.out_channels']).sort((x, y) => x! - y!)).toEqual(WIDTHS);
      expect(out.loss).toBeCloseTo(paths.reduce((s, c) => s + c.loss, 0) / 7, 6);
    }
    expect(optim.steps).toBe(3);
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });

  it('inside the BigNAS sandwich: the random paths of consecutive steps are strict-fair', () => {
    const algo = new BigNAS({ architecture: { type: 'test/TinySupernet', widths: WIDTHS, depths: DEPTHS }, sampler: { type: 'StrictFairSampler' }, num_random_samples: 2 });
    const net = algo.architecture as TinySupernet;
    const optim = new RecordingOptimWrapper(algo, net);
    const batch = tinyBatch();
    const rng = new Rng(9);
    for (let step = 0; step < 7; step++) algo.trainStep(batch, context(optim, rng));
    const randoms = optim.calls.filter((_, i) => i % 4 >= 2).map((c) => c.choices);
    expect(randoms.length).toBe(14);
    expect(roundsAreFair(randoms, 'hidden.out_channels', WIDTHS)).toBe(true);
    expect(roundsAreFair(randoms, 'depth', DEPTHS)).toBe(true);
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });
});
