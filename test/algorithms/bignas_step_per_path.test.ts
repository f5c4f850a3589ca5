import { describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import '../../src/engine/losses.js';
import { KLDivergence } from '../../src/engine/losses.js';
import { BigNAS } from '../../src/algorithms/bignas.js';
import { Rng } from '../../src/services/rng.js';
import { RecordingOptimWrapper, TinySupernet, context, tinyBatch } from './tiny_supernet.js';

describe('BigNAS step_per_path (mmrazor: update_params per path)', () => {
  const build = (stepPerPath: boolean) => new BigNAS({ architecture: { type: 'test/TinySupernet' }, num_random_samples: 2, step_per_path: stepPerPath });

  it('steps after every path, and distils from the max logits recorded before the first step', () => {
    const algo = build(true);
    const net = algo.architecture as TinySupernet;
    const optim = new RecordingOptimWrapper(algo, net, { applyLr: 0.5 });
    const batch = tinyBatch();
    net.mutator.set({ 'hidden.out_channels': 4, depth: 2 });
    const teacher = net.forward(batch.images);
    const kd = new KLDivergence({});
    const stepsAt: number[] = [];
    const replayed: number[] = [];
    const accumulate = optim.accumulate.bind(optim);
    optim.accumulate = (fn) => {
      stepsAt.push(optim.steps);
      // The distilled paths' loss with the weights as they are now (after the earlier steps) against
      // the max logits of the weights before any step.
      if (stepsAt.length > 1) replayed.push(tf.tidy(() => kd.forward(net.forward(batch.images), teacher).dataSync()[0]!));
      return accumulate(fn);
    };
    algo.trainStep(batch, context(optim, new Rng(7)));
    expect(stepsAt).toEqual([0, 1, 2, 3]);
    expect(optim.steps).toBe(4);
    optim.calls.slice(1).forEach((c, i) => expect(c.loss).toBeCloseTo(replayed[i]!, 6));
    // The steps changed the weights between paths (so the replay is not trivially equal).
    net.mutator.set({ 'hidden.out_channels': 4, depth: 2 });
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(net.forward(batch.images), teacher))).dataSync()[0]!)).toBeGreaterThan(1e-4);
    tf.dispose([teacher, batch.images, batch.labels]);
    algo.dispose();
  });

  it('sums all paths into one step by default', () => {
    const algo = build(false);
    const optim = new RecordingOptimWrapper(algo, algo.architecture as TinySupernet);
    const batch = tinyBatch();
    algo.trainStep(batch, context(optim, new Rng(7)));
    expect(optim.calls.length).toBe(4);
    expect(optim.steps).toBe(1);
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });
});
