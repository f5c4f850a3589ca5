import type { Scalar } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../../src/tf.js';
import '../../src/engine/losses.js';
import { BigNAS } from '../../src/algorithms/bignas.js';
import { UniformSampler } from '../../src/algorithms/samplers/index.js';
import { CrossEntropyLoss, KLDivergence } from '../../src/engine/losses.js';
import { Rng } from '../../src/services/rng.js';
import { RecordingOptimWrapper, TinySupernet, context, tinyBatch } from './tiny_supernet.js';
import type { ResNetSupernet } from '../../src/models/resnet_supernet.js';
import { BN_SUPERNET, bnBatch, bnStats, maxAbsDiff, randomiseRunningStats, twinOf } from './bn_supernet.js';

function build(numRandom = 2): { algo: BigNAS; net: TinySupernet } {
  const algo = new BigNAS({
    architecture: { type: 'test/TinySupernet', widths: [2, 3, 4], depths: [1, 2] },
    loss: { type: 'CrossEntropyLoss', label_smoothing: 0.1 },
    distill_loss: { type: 'KLDivergence', temperature: 2 },
    num_random_samples: numRandom,
  });
  return { algo, net: algo.architecture as TinySupernet };
}

function sumGrads(list: Record<string, Tensor>[]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const g of list) for (const [k, v] of Object.entries(g)) out[k] = out[k] ? tf.add(out[k]!, v) : v;
  return out;
}

describe('BigNAS sandwich step', () => {
  it('forwards max, min and two random paths, then takes one optimizer step', () => {
    const { algo, net } = build();
    const optim = new RecordingOptimWrapper(algo, net);
    const batch = tinyBatch();
    const out = algo.trainStep(batch, context(optim, new Rng(7)));

    const expectedRandom = new UniformSampler();
    const r = new Rng(7);
    const ctx = { epoch: 0, rng: r };
    const randoms = [expectedRandom.sample(net, ctx), expectedRandom.sample(net, ctx)];
    expect(optim.calls.map((c) => c.choices)).toEqual([
      { 'hidden.out_channels': 4, depth: 2 },
      { 'hidden.out_channels': 2, depth: 1 },
      ...randoms,
    ]);
    expect(optim.steps).toBe(1);
    const [max, min, r1, r2] = optim.calls.map((c) => c.loss);
    expect(out.loss_max).toBeCloseTo(max!, 6);
    expect(out.loss_min).toBeCloseTo(min!, 6);
    expect(out.loss_random).toBeCloseTo((r1! + r2!) / 2, 6);
    expect(out.loss).toBeCloseTo(max! + min! + r1! + r2!, 5);
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });

  it("accumulates ground truth + distillation gradients with the max subnet's logits detached", () => {
    const { algo, net } = build();
    const optim = new RecordingOptimWrapper(algo, net, { keepGrads: true });
    const batch = tinyBatch();
    algo.trainStep(batch, context(optim, new Rng(7)));
    const paths = optim.calls.map((c) => c.choices);

    const ce = new CrossEntropyLoss({ label_smoothing: 0.1 });
    const kd = new KLDivergence({ temperature: 2 });
    const vars = algo.parameters();
    const forwardAt = (choices: Record<string, number>) => {
      net.mutator.set(choices);
      return net.forward(batch.images);
    };
    // Reference: teacher logits computed once, outside every tape (constants).
    const teacher = tf.tidy(() => forwardAt(paths[0]!));
    const perPath = [
      tf.variableGrads(() => ce.forward(forwardAt(paths[0]!), batch.labels), vars).grads,
      ...paths.slice(1).map((p) => tf.variableGrads(() => kd.forward(forwardAt(p), teacher), vars).grads),
    ];
    const reference = sumGrads(perPath);
    // Counterfactual: gradients also flowing into the teacher logits (what detaching prevents).
    const leaky = tf.variableGrads(() => {
      const t = forwardAt(paths[0]!);
      let total = ce.forward(t, batch.labels);
      for (const p of paths.slice(1)) total = tf.add(total, kd.forward(forwardAt(p), t)) as Scalar;
      return total;
    }, vars).grads;

    for (const name of Object.keys(reference)) {
      const got = optim.grads[name]!;
      expect(got, name).toBeDefined();
      const diff = tf.max(tf.abs(tf.sub(got, reference[name]!))).dataSync()[0]!;
      expect(diff, name).toBeLessThan(1e-5);
    }
    const leakGap = Math.max(...Object.keys(leaky).map((n) => tf.max(tf.abs(tf.sub(leaky[n]!, reference[n]!))).dataSync()[0]!));
    expect(leakGap).toBeGreaterThan(1e-3);
    algo.dispose();
  });

  it('num_random_samples sets the number of random paths', () => {
    const { algo, net } = build(0);
    const optim = new RecordingOptimWrapper(algo, net);
    const batch = tinyBatch();
    const out = algo.trainStep(batch, context(optim));
    expect(optim.calls).toHaveLength(2);
    expect(out.loss_random).toBe(0);
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });

  it('training is leak-free and lowers the max subnet loss', () => {
    const { algo, net } = build();
    const optim = new RecordingOptimWrapper(algo, net, { applyLr: 0.1 });
    const batch = tinyBatch(12);
    const ctx = context(optim);
    const first = algo.trainStep(batch, ctx);
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 40; i++) last = algo.trainStep(batch, ctx);
    expect(tf.memory().numTensors).toBe(before);
    expect(last.loss_max).toBeLessThan(first.loss_max!);
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });

  it('state round-trips through JSON (sampler counters and warm-up stage)', () => {
    const make = () =>
      new BigNAS({
        architecture: { type: 'test/TinySupernet' },
        sampler: { type: 'ChannelWarmupSampler', warmup_epochs: 2 },
      });
    const a = make();
    const optim = new RecordingOptimWrapper(a, a.architecture as TinySupernet);
    const batch = tinyBatch();
    a.trainStep(batch, context(optim, new Rng(1), 1));
    const state = JSON.parse(JSON.stringify(a.getState()));
    expect(state).toEqual({ sampler: { draws: 2, rejected: 0, stage_epoch: 1 } });
    const b = make();
    b.setState(state);
    expect(b.getState()).toEqual(state);
    tf.dispose([batch.images, batch.labels]);
    a.dispose();
    b.dispose();
  });
});

describe('BigNAS on a supernet with batch norm', () => {
  it('runs every path in train mode: batch statistics in each forward, one running-stat blend per path', () => {
    const algo = new BigNAS({
      architecture: BN_SUPERNET,
      loss: { type: 'CrossEntropyLoss' },
      distill_loss: { type: 'KLDivergence', temperature: 1 },
      num_random_samples: 2,
    });
    const net = algo.architecture as ResNetSupernet;
    randomiseRunningStats(net, 11);
    const twin = twinOf(net); // replays the step by hand
    const evalTwin = twinOf(net); // what forwards with the running statistics would give
    const optim = new RecordingOptimWrapper(algo, net);
    const batch = bnBatch();
    const out = algo.trainStep(batch, context(optim, new Rng(7)));
    const paths = optim.calls.map((c) => c.choices);
    expect(paths).toHaveLength(4);
    expect(paths[0]).toEqual(net.mutator.setMax());

    // Reference: the max path on the labels, then min and random paths against its logits, each
    // one train-mode forward of the twin, in the order the algorithm took them.
    const ce = new CrossEntropyLoss();
    const kd = new KLDivergence({ temperature: 1 });
    const value = (t: Tensor) => t.dataSync()[0]!;
    twin.train();
    twin.mutator.set(paths[0]!);
    const teacher = twin.forward(batch.images);
    const lossMax = value(ce.forward(teacher, batch.labels));
    const distilled = paths.slice(1).map((p) => {
      twin.mutator.set(p);
      return value(kd.forward(twin.forward(batch.images), teacher));
    });
    expect(out.loss_max).toBeCloseTo(lossMax, 5);
    expect(out.loss_min).toBeCloseTo(distilled[0]!, 5);
    expect(out.loss_random).toBeCloseTo((distilled[1]! + distilled[2]!) / 2, 5);
    // With the running statistics (eval mode) the max loss would differ: the check can tell them apart.
    evalTwin.eval();
    evalTwin.mutator.set(paths[0]!);
    expect(Math.abs(value(ce.forward(evalTwin.forward(batch.images), batch.labels)) - out.loss_max!)).toBeGreaterThan(1e-2);

    // Running statistics after the step: as after those four train-mode forwards, entry by entry.
    const got = bnStats(net);
    const want = bnStats(twin);
    expect(Object.keys(got)).toEqual(Object.keys(want));
    for (const name of Object.keys(want)) {
      expect(got[name]!.tracked, name).toBe(want[name]!.tracked);
      expect(maxAbsDiff(got[name]!.mean, want[name]!.mean), name).toBeLessThan(1e-5);
      expect(maxAbsDiff(got[name]!.variance, want[name]!.variance), name).toBeLessThan(1e-5);
    }
    // Counted from the paths alone: every path runs the stem; stage 1's second block only the deep ones.
    const deep = paths.filter((p) => p['stage1.depth'] === 2).length;
    expect(deep).toBeGreaterThan(0);
    expect(deep).toBeLessThan(4); // the min path has depth 1
    expect(got['stem.bn']!.tracked).toBe(4);
    expect(got['stage1.1.conv1.bn']!.tracked).toBe(deep);
    tf.dispose([batch.images, batch.labels]);
    twin.dispose();
    evalTwin.dispose();
    algo.dispose();
  });
});
