import type { Scalar } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import '../../src/engine/losses.js';
import '../../src/proxies/index.js';
import { CrossEntropyLoss } from '../../src/engine/losses.js';
import { RankPrior, pairwiseRankHinge, rankLossWeight } from '../../src/algorithms/rank_loss.js';
import { RankNAS } from '../../src/algorithms/rank_nas.js';
import { UniformSampler } from '../../src/algorithms/samplers/index.js';
import { Rng } from '../../src/services/rng.js';
import { RecordingOptimWrapper, TinySupernet, context, tinyBatch } from './tiny_supernet.js';

const hinge = (p1: number, p2: number, l1: number, l2: number, margin = 0): number =>
  tf.tidy(() => pairwiseRankHinge(p1, p2, tf.scalar(l1), tf.scalar(l2), { margin }).dataSync()[0]!);

/** d hinge / d (loss1, loss2) under a gradient rule. */
function hingeGrads(p1: number, p2: number, l1: number, l2: number, gradient: 'second' | 'both' | 'better'): [number, number] {
  const a = tf.variable(tf.scalar(l1));
  const b = tf.variable(tf.scalar(l2));
  const { value, grads } = tf.variableGrads(() => pairwiseRankHinge(p1, p2, a as unknown as Scalar, b as unknown as Scalar, { gradient }), [a, b]);
  // A loss outside the tape gets no gradient entry: it is 0.
  const out: [number, number] = [grads[a.name]?.dataSync()[0] ?? 0, grads[b.name]?.dataSync()[0] ?? 0];
  tf.dispose([value, a, b, ...Object.values(grads)]);
  return out.map((v) => (Object.is(v, -0) ? 0 : v)) as [number, number];
}

describe('pairwise rank hinge (RD-NAS)', () => {
  it('is zero when the losses order the pair as the prior does, and the violation otherwise', () => {
    // prior2 > prior1: subnet 2 should have the lower loss.
    expect(hinge(1, 2, 0.8, 0.5)).toBe(0);
    expect(hinge(1, 2, 0.5, 0.8)).toBeCloseTo(0.3, 6);
    // prior1 > prior2: subnet 1 should have the lower loss.
    expect(hinge(3, 2, 0.5, 0.6)).toBe(0);
    expect(hinge(3, 2, 0.9, 0.6)).toBeCloseTo(0.3, 6);
    // It grows with the contradiction.
    expect(hinge(1, 2, 0.5, 1.5)).toBeCloseTo(1.0, 6);
    // A margin asks for the order by at least that much.
    expect(hinge(1, 2, 0.8, 0.75, 0.1)).toBeCloseTo(0.05, 6);
    expect(hinge(1, 2, 0.8, 0.6, 0.1)).toBe(0);
  });

  it("sends the gradient to the second subnet only, as the reference detaches loss1; 'both' to both", () => {
    expect(hingeGrads(1, 2, 0.5, 0.8, 'second')).toEqual([0, 1]);
    expect(hingeGrads(3, 2, 0.9, 0.6, 'second')).toEqual([0, -1]);
    expect(hingeGrads(1, 2, 0.5, 0.8, 'both')).toEqual([-1, 1]);
    expect(hingeGrads(3, 2, 0.9, 0.6, 'both')).toEqual([1, -1]);
    expect(hingeGrads(1, 2, 0.8, 0.5, 'both')).toEqual([0, 0]);
  });

  it("'better' lowers the expected-better subnet's loss and never raises the other's", () => {
    // subnet 2 expected better (prior2 > prior1), violated: descend on loss2 only
    expect(hingeGrads(1, 2, 0.5, 0.8, 'better')).toEqual([0, 1]);
    // subnet 1 expected better, violated: 'second' would ascend on loss2 (-1); 'better' descends on loss1
    expect(hingeGrads(3, 2, 0.9, 0.6, 'better')).toEqual([1, 0]);
    expect(hingeGrads(3, 2, 0.5, 0.6, 'better')).toEqual([0, 0]);
    expect(hinge(3, 2, 0.9, 0.6)).toBeCloseTo(tf.tidy(() => pairwiseRankHinge(3, 2, tf.scalar(0.9), tf.scalar(0.6), { gradient: 'better' }).dataSync()[0]!), 6);
  });
});

describe('rank-loss weight warm-up', () => {
  it("is RD-NAS's min(2, epoch / 10) stepped per epoch", () => {
    const w = { weight: 2, warmup_epochs: 20, stepwise: true };
    const at = (epoch: number, iter = epoch * 100 + 50) => rankLossWeight(w, { epoch, iter, itersPerEpoch: 100 });
    expect([0, 1, 5, 10, 19, 20, 35].map((e) => at(e))).toEqual([0, 0.1, 0.5, 1, 1.9, 2, 2]);
  });

  it('grows every iteration when not stepwise', () => {
    const w = { weight: 1.5, warmup_epochs: 2, stepwise: false };
    const at = (iter: number) => rankLossWeight(w, { epoch: Math.floor(iter / 10), iter, itersPerEpoch: 10 });
    expect([0, 5, 10, 15, 20, 40].map(at)).toEqual([0, 0.375, 0.75, 1.125, 1.5, 1.5]);
    expect(rankLossWeight({ weight: 3, warmup_epochs: 0, stepwise: true }, { epoch: 0, iter: 0, itersPerEpoch: 10 })).toBe(3);
  });
});

describe('RankNAS step', () => {
  const build = (rank: Record<string, unknown>) =>
    new RankNAS({
      architecture: { type: 'test/TinySupernet', widths: [2, 3, 4], depths: [1, 2] },
      sandwich: false,
      loss: { type: 'CrossEntropyLoss' },
      rank_loss: { prior: { type: 'MACs' }, num_pairs: 3, weight: 2, warmup_epochs: 0, ...rank },
    });

  it('adds weight x hinge of each pair, ordered by the MACs prior, to one single-path step', () => {
    const algo = build({});
    const net = algo.architecture as TinySupernet;
    const optim = new RecordingOptimWrapper(algo, net);
    const batch = tinyBatch();
    const out = algo.trainStep(batch, context(optim, new Rng(11)));

    // Replay: the same rng draws the base path, then a and b of each pair.
    const sampler = new UniformSampler();
    const ctx = { epoch: 0, rng: new Rng(11) };
    const base = sampler.sample(net, ctx);
    const ce = new CrossEntropyLoss({});
    const lossOf = (choices: Record<string, number>) => {
      net.mutator.set(choices);
      return tf.tidy(() => ce.forward(net.forward(batch.images), batch.labels).dataSync()[0]!);
    };
    let expected = 0;
    const pairs: Record<string, number>[] = [];
    for (let p = 0; p < 3; p++) {
      const a = sampler.sample(net, ctx);
      const b = sampler.sample(net, ctx);
      pairs.push(b);
      const [ma, mb] = [net.complexity(a).macs, net.complexity(b).macs];
      const [la, lb] = [lossOf(a), lossOf(b)];
      expected += 2 * Math.max(0, ma < mb ? lb - la : la - lb);
    }
    expect(optim.calls.length).toBe(4);
    expect(optim.steps).toBe(1);
    expect(optim.calls[0]!.choices).toEqual(base);
    expect(optim.calls.slice(1).map((c) => c.choices)).toEqual(pairs);
    expect(out.loss_rank).toBeCloseTo(expected, 5);
    expect(out.loss).toBeCloseTo(out.loss_base! + expected, 5);
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });

  it('takes any registered proxy as the prior (Params), caching data-free scores', () => {
    const prior = new RankPrior({ type: 'Params' });
    const net = new TinySupernet({ widths: [2, 3, 4], depths: [1, 2] });
    const batch = tinyBatch();
    const small = { 'hidden.out_channels': 2, depth: 1 };
    const big = { 'hidden.out_channels': 4, depth: 2 };
    expect(prior.score(net, small, batch)).toBe(net.complexity(small).params);
    expect(prior.score(net, big, batch)).toBe(net.complexity(big).params);
    expect(() => new RankPrior({ type: 'NoSuchProxy' })).toThrow(/NoSuchProxy/);
    tf.dispose([batch.images, batch.labels]);
  });

  it('skips the pairs while the warm-up weight is 0 and counts them after', () => {
    const algo = build({ warmup_epochs: 10, stepwise: true });
    const net = algo.architecture as TinySupernet;
    const optim = new RecordingOptimWrapper(algo, net);
    const batch = tinyBatch();
    const early = algo.trainStep(batch, context(optim, new Rng(3), 0));
    expect(optim.calls.length).toBe(1);
    expect(early.rank_weight).toBe(0);
    const late = algo.trainStep(batch, context(optim, new Rng(3), 5));
    expect(optim.calls.length).toBe(1 + 1 + 3);
    expect(late.rank_weight).toBe(1);
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });

  it('runs the pairs after a BigNAS sandwich (max, min, random paths) by default', () => {
    const algo = new RankNAS({ architecture: { type: 'test/TinySupernet' }, rank_loss: { num_pairs: 1, warmup_epochs: 0 } });
    const net = algo.architecture as TinySupernet;
    const optim = new RecordingOptimWrapper(algo, net);
    const batch = tinyBatch();
    algo.trainStep(batch, context(optim));
    expect(optim.calls.length).toBe(4 + 1);
    expect(optim.calls[0]!.choices).toEqual({ 'hidden.out_channels': 4, depth: 2 });
    expect(optim.calls[1]!.choices).toEqual({ 'hidden.out_channels': 2, depth: 1 });
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });
});
