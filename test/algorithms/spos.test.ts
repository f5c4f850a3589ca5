import { describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import '../../src/engine/losses.js';
import { SPOS } from '../../src/algorithms/spos.js';
import { ChannelWarmupSampler, UniformSampler } from '../../src/algorithms/samplers/index.js';
import { AlgorithmConfigError } from '../../src/algorithms/errors.js';
import { Rng } from '../../src/services/rng.js';
import { RecordingOptimWrapper, TinySupernet, context, tinyBatch } from './tiny_supernet.js';

describe('SPOS', () => {
  it("trains one subnet per step, the sampler's draw from ctx.rng, with one optimizer step", () => {
    const algo = new SPOS({ architecture: { type: 'test/TinySupernet', widths: [2, 3, 4, 5] } });
    const net = algo.architecture as TinySupernet;
    const optim = new RecordingOptimWrapper(algo, net);
    const batch = tinyBatch();
    const ctx = context(optim, new Rng(21));
    const ref = new UniformSampler();
    const refCtx = { epoch: 0, rng: new Rng(21) };
    for (let i = 0; i < 5; i++) {
      const out = algo.trainStep(batch, ctx);
      expect(optim.calls).toHaveLength(i + 1);
      expect(optim.calls[i]!.choices).toEqual(ref.sample(net, refCtx));
      expect(out.loss).toBe(optim.calls[i]!.loss);
      expect(optim.steps).toBe(i + 1);
    }
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });

  it('uses the configured sampler and loss, and is leak-free', () => {
    const algo = new SPOS({
      architecture: { type: 'test/TinySupernet', widths: [2, 3, 4] },
      sampler: { type: 'ChannelWarmupSampler', warmup_epochs: 3 },
      loss: { type: 'CrossEntropyLoss', label_smoothing: 0.1 },
    });
    expect(algo.sampler).toBeInstanceOf(ChannelWarmupSampler);
    const net = algo.architecture as TinySupernet;
    const optim = new RecordingOptimWrapper(algo, net, { applyLr: 0.1 });
    const batch = tinyBatch(12);
    const ctx = context(optim);
    const first = algo.trainStep(batch, ctx);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) algo.trainStep(batch, ctx);
    expect(tf.memory().numTensors).toBe(before);
    // Epoch 0 of the warm-up: only the widest width was trained.
    expect(new Set(optim.calls.map((c) => c.choices['hidden.out_channels']))).toEqual(new Set([4]));
    net.mutator.setMax();
    const last = algo.trainStep(batch, ctx);
    expect(last.loss).toBeLessThan(first.loss!);
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });

  it('refuses a network without a mutator, saying what to use instead', () => {
    expect(() => new SPOS({ architecture: { type: 'test/TinyFixedNet' } })).toThrow(AlgorithmConfigError);
    expect(() => new SPOS({ architecture: { type: 'test/TinyFixedNet' } })).toThrow(/has no mutator.*ImageClassifier/);
  });

  it('keeps the architecture as child `architecture` (checkpoint names)', () => {
    const algo = new SPOS({ architecture: { type: 'test/TinySupernet' } });
    expect(Object.keys(algo.stateDict())).toEqual(['architecture.w1', 'architecture.w2', 'architecture.w3', 'architecture.b3']);
    algo.dispose();
  });
});
