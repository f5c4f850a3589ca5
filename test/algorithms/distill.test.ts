import type { Scalar } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/tf.js';
import '../../src/engine/losses.js';
import { CrossEntropyLoss, KLDivergence } from '../../src/engine/losses.js';
import { encodeCheckpoint, type TensorData } from '../../src/engine/checkpoint.js';
import { Distill } from '../../src/algorithms/distill.js';
import { AlgorithmConfigError } from '../../src/algorithms/errors.js';
import { RecordingOptimWrapper, TinySupernet, context, tinyBatch } from './tiny_supernet.js';
import type { Module } from '../../src/models/module.js';
import { ResNetSupernet } from '../../src/models/resnet_supernet.js';
import { BN_SUPERNET, bnBatch, bnStats, maxAbsDiff, randomiseRunningStats, twinOf } from './bn_supernet.js';

/** A checkpoint as tools/train.ts writes it: algorithm weights under `architecture.` plus optimizer slots. */
function writeTeacherCheckpoint(path: string, net: Module): void {
  const tensors: Record<string, TensorData> = {};
  for (const [name, v] of Object.entries(net.stateDict())) {
    const data: TensorData = { dtype: 'float32', shape: v.shape, values: v.dataSync() as Float32Array };
    tensors[`architecture.${name}`] = data;
    tensors[`optimizer.momentum.architecture.${name}`] = { ...data, values: new Float32Array(data.values.length) };
  }
  writeFileSync(path, encodeCheckpoint({ meta: { epoch: 1, iter: 10, time: '', version: 1 }, tensors, state: {} }));
}

describe('Distill', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfrazor-kd-'));
  const ckpt = join(dir, 'teacher.ckpt');
  const trained = new TinySupernet({ seed: 9 });
  writeTeacherCheckpoint(ckpt, trained);

  const build = (weights = { ce: 0.5, kd: 2 }) =>
    new Distill({
      architecture: { type: 'test/TinySupernet', seed: 1 },
      subnet: { 'hidden.out_channels': 2, depth: 1 },
      teacher: { architecture: { type: 'test/TinySupernet', seed: 4 }, checkpoint: ckpt, subnet: { 'hidden.out_channels': 4, depth: 2 } },
      loss: { type: 'CrossEntropyLoss' },
      distill_loss: { type: 'KLDivergence', temperature: 3 },
      loss_weights: weights,
    });

  it("loads the teacher's weights, freezes it in eval mode and keeps it out of the student's state", () => {
    const algo = build();
    const teacherState = algo.teacher.stateDict();
    for (const [name, v] of Object.entries(trained.stateDict())) {
      expect(Array.from(teacherState[name]!.dataSync())).toEqual(Array.from(v.dataSync()));
    }
    algo.train();
    expect(algo.teacher.training).toBe(false);
    expect(algo.teacher.parameters().every((v) => !v.trainable)).toBe(true);
    expect(Object.keys(algo.stateDict())).toEqual(['architecture.w1', 'architecture.w2', 'architecture.w3', 'architecture.b3']);
    algo.dispose();
  });

  it('gradient = ce * CE + kd * KL against constant teacher logits; teacher unchanged', () => {
    const algo = build();
    const student = algo.architecture as TinySupernet;
    const optim = new RecordingOptimWrapper(algo, student, { keepGrads: true });
    const batch = tinyBatch();
    const teacherBefore = algo.teacher.parameters().map((v) => Array.from(v.dataSync()));
    const out = algo.trainStep(batch, context(optim));
    expect(optim.calls).toHaveLength(1);
    expect(optim.steps).toBe(1);

    const ce = new CrossEntropyLoss();
    const kd = new KLDivergence({ temperature: 3 });
    const teacherLogits = tf.tidy(() => trained.forward(batch.images));
    const ref = tf.variableGrads(() => {
      const logits = student.forward(batch.images);
      return tf.add(tf.mul(ce.forward(logits, batch.labels), 0.5), tf.mul(kd.forward(logits, teacherLogits), 2)) as Scalar;
    }, student.parameters());
    expect(out.loss).toBeCloseTo(ref.value.dataSync()[0]!, 5);
    expect(out.loss_ce! + out.loss_kd!).toBeCloseTo(out.loss!, 5);
    for (const [name, g] of Object.entries(ref.grads)) {
      expect(tf.max(tf.abs(tf.sub(optim.grads[name]!, g))).dataSync()[0]!, name).toBeLessThan(1e-5);
    }
    expect(Object.keys(optim.grads).sort()).toEqual(Object.keys(ref.grads).sort());
    expect(algo.teacher.parameters().map((v) => Array.from(v.dataSync()))).toEqual(teacherBefore);
    algo.dispose();
  });

  it('is leak-free over steps', () => {
    const algo = build();
    const optim = new RecordingOptimWrapper(algo, algo.architecture as TinySupernet, { applyLr: 0.05 });
    const batch = tinyBatch(12);
    const ctx = context(optim);
    algo.trainStep(batch, ctx);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) algo.trainStep(batch, ctx);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });

  it('a checkpoint of another network is refused with the path and a hint', () => {
    const other = join(dir, 'other.ckpt');
    writeFileSync(other, encodeCheckpoint({ meta: { epoch: 0, iter: 0, time: '', version: 1 }, tensors: { 'architecture.conv': { dtype: 'float32', shape: [1], values: new Float32Array(1) } }, state: {} }));
    expect(() =>
      new Distill({ architecture: { type: 'test/TinySupernet' }, teacher: { architecture: { type: 'test/TinySupernet' }, checkpoint: other } }),
    ).toThrow(AlgorithmConfigError);
    expect(() =>
      new Distill({ architecture: { type: 'test/TinySupernet' }, teacher: { architecture: { type: 'test/TinySupernet' }, checkpoint: other } }),
    ).toThrow(/other\.ckpt.*holds no weights.*'w1'/);
  });

  it('teacher and student must predict the same classes', () => {
    expect(() => new Distill({ architecture: { type: 'test/TinySupernet', classes: 3 }, teacher: { architecture: { type: 'test/TinySupernet', classes: 5 } } })).toThrow(/5 classes but the student 3/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('Distill with batch norm', () => {
  it('teacher: eval mode, running statistics untouched; student: train mode, one running-stat blend per step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfrazor-kd-bn-'));
    const ckpt = join(dir, 'teacher.ckpt');
    const trained = new ResNetSupernet({ ...BN_SUPERNET, init_seed: 9 });
    randomiseRunningStats(trained, 21); // a trained teacher's statistics, far from the reset ones
    writeTeacherCheckpoint(ckpt, trained);
    const studentSubnet = {
      'stage1.depth': 2, 'stage1.out_channels': 0.5, 'stage1.block1.mid_channels': 1.0, 'stage1.block2.mid_channels': 0.5,
      'stage2.depth': 1, 'stage2.out_channels': 1.0, 'stage2.block1.mid_channels': 0.5, 'stage2.block2.mid_channels': 1.0,
    };
    const algo = new Distill({
      architecture: { ...BN_SUPERNET, init_seed: 1 },
      subnet: studentSubnet,
      teacher: { architecture: { ...BN_SUPERNET, init_seed: 4 }, checkpoint: ckpt },
      loss: { type: 'CrossEntropyLoss' },
      distill_loss: { type: 'KLDivergence', temperature: 3 },
      loss_weights: { ce: 0.5, kd: 2 },
    });
    const student = algo.architecture as ResNetSupernet;
    randomiseRunningStats(student, 31);
    const twin = twinOf(student);
    twin.mutator.set(studentSubnet);
    const teacherBefore = bnStats(algo.teacher);
    const studentBefore = bnStats(student);
    const optim = new RecordingOptimWrapper(algo, student);
    const batch = bnBatch();
    const out = algo.trainStep(batch, context(optim));

    // Reference: the teacher's logits with its running statistics (eval), the student's with batch ones.
    const ce = new CrossEntropyLoss();
    const kd = new KLDivergence({ temperature: 3 });
    const value = (t: tf.Tensor) => t.dataSync()[0]!;
    trained.eval();
    trained.mutator.setMax();
    const teacherLogits = trained.forward(batch.images);
    twin.train();
    const studentLogits = twin.forward(batch.images);
    const lossOf = (t: tf.Tensor) => 0.5 * value(ce.forward(studentLogits, batch.labels)) + 2 * value(kd.forward(studentLogits, t));
    expect(out.loss).toBeCloseTo(lossOf(teacherLogits), 5);
    // A teacher normalising with batch statistics would give another loss: the check can tell them apart.
    trained.train();
    expect(Math.abs(lossOf(trained.forward(batch.images)) - out.loss!)).toBeGreaterThan(1e-3);

    // The teacher's statistics are never blended; the student's are, once, by the one forward.
    expect(bnStats(algo.teacher)).toEqual(teacherBefore);
    const got = bnStats(student);
    const want = bnStats(twin);
    for (const name of Object.keys(want)) {
      expect(got[name]!.tracked, name).toBe(want[name]!.tracked);
      expect(maxAbsDiff(got[name]!.mean, want[name]!.mean), name).toBeLessThan(1e-5);
      expect(maxAbsDiff(got[name]!.variance, want[name]!.variance), name).toBeLessThan(1e-5);
    }
    expect(got['stem.bn']!.tracked).toBe(studentBefore['stem.bn']!.tracked + 1);
    expect(got['stage2.1.conv1.bn']!.tracked).toBe(studentBefore['stage2.1.conv1.bn']!.tracked); // depth 1: skipped
    tf.dispose([batch.images, batch.labels]);
    twin.dispose();
    trained.dispose();
    algo.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
});
