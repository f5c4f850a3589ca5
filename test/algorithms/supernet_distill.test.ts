import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/tf.js';
import '../../src/engine/losses.js';
import { CrossEntropyLoss, KLDivergence } from '../../src/engine/losses.js';
import { encodeCheckpoint, type TensorData } from '../../src/engine/checkpoint.js';
import { SupernetDistill } from '../../src/algorithms/supernet_distill.js';
import { UniformSampler } from '../../src/algorithms/samplers/index.js';
import type { Module } from '../../src/models/module.js';
import { Rng } from '../../src/services/rng.js';
import { RecordingOptimWrapper, TinySupernet, context, tinyBatch } from './tiny_supernet.js';

function writeCheckpoint(path: string, net: Module): void {
  const tensors: Record<string, TensorData> = {};
  for (const [name, v] of Object.entries(net.stateDict())) tensors[`architecture.${name}`] = { dtype: 'float32', shape: v.shape, values: v.dataSync() as Float32Array };
  writeFileSync(path, encodeCheckpoint({ meta: { epoch: 1, iter: 10, time: '', version: 1 }, tensors, state: {} }));
}

describe('SupernetDistill (the Track-1 demo recipe)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfrazor-sd-'));
  const ckpt = join(dir, 'teacher.ckpt');
  const trained = new TinySupernet({ seed: 9 });
  writeCheckpoint(ckpt, trained);

  it('distils num_samples random subnets from the frozen max-subnet teacher in one optimizer step', () => {
    const algo = new SupernetDistill({
      architecture: { type: 'test/TinySupernet', seed: 1 },
      teacher: { architecture: { type: 'test/TinySupernet', seed: 4 }, checkpoint: ckpt },
      loss_weights: { ce: 0.5, kd: 2 },
      distill_loss: { type: 'KLDivergence', temperature: 2 },
      num_samples: 3,
    });
    const net = algo.architecture as TinySupernet;
    const optim = new RecordingOptimWrapper(algo, net);
    const batch = tinyBatch();
    const out = algo.trainStep(batch, context(optim, new Rng(4)));

    const ctx = { epoch: 0, rng: new Rng(4) };
    const sampler = new UniformSampler();
    trained.mutator.set({ 'hidden.out_channels': 4, depth: 2 });
    const target = trained.forward(batch.images);
    const ce = new CrossEntropyLoss({});
    const kd = new KLDivergence({ temperature: 2 });
    const expected = [0, 1, 2].map(() => {
      const choices = sampler.sample(net, ctx);
      net.mutator.set(choices);
      const loss = tf.tidy(() => {
        const logits = net.forward(batch.images);
        return 0.5 * ce.forward(logits, batch.labels).dataSync()[0]! + 2 * kd.forward(logits, target).dataSync()[0]!;
      });
      return { choices, loss };
    });
    expect(optim.calls.map((c) => c.choices)).toEqual(expected.map((e) => e.choices));
    optim.calls.forEach((c, i) => expect(c.loss).toBeCloseTo(expected[i]!.loss, 5));
    expect(optim.steps).toBe(1);
    expect(out.loss).toBeCloseTo(expected.reduce((s, e) => s + e.loss, 0) / 3, 5);
    // The teacher is outside the trained parameters.
    expect(algo.parameters().filter((v) => v.trainable).length).toBe(net.parameters().length);
    expect(algo.teacher.parameters().every((v) => !v.trainable)).toBe(true);
    tf.dispose([target, batch.images, batch.labels]);
    algo.dispose();
  });

  it('starts the supernet from init_checkpoint', () => {
    const algo = new SupernetDistill({
      architecture: { type: 'test/TinySupernet', seed: 1 },
      teacher: { architecture: { type: 'test/TinySupernet', seed: 4 }, checkpoint: ckpt },
      init_checkpoint: ckpt,
    });
    const got = algo.architecture.stateDict();
    for (const [name, v] of Object.entries(trained.stateDict())) expect(Array.from(got[name]!.dataSync())).toEqual(Array.from(v.dataSync()));
    algo.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
});
