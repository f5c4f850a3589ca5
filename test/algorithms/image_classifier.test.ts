import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/tf.js';
import '../../src/engine/losses.js';
import { ImageClassifier } from '../../src/algorithms/image_classifier.js';
import { AlgorithmConfigError } from '../../src/algorithms/errors.js';
import { saveSubnet } from '../../src/mutables/subnet_yaml.js';
import { RecordingOptimWrapper, TinySupernet, context, tinyBatch } from './tiny_supernet.js';

describe('ImageClassifier', () => {
  it('trains a fixed subnet given inline, frozen against later changes', () => {
    const algo = new ImageClassifier({
      architecture: { type: 'test/TinySupernet' },
      subnet: { 'hidden.out_channels': 3, depth: { chosen: 1 } },
    });
    const net = algo.architecture as TinySupernet;
    expect(net.mutator.current()).toEqual({ 'hidden.out_channels': 3, depth: 1 });
    expect(() => net.mutator.set({ depth: 2 })).toThrow(/fixed/);
    const optim = new RecordingOptimWrapper(algo, net, { applyLr: 0.1 });
    const batch = tinyBatch(12);
    const ctx = context(optim);
    const first = algo.trainStep(batch, ctx);
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 20; i++) last = algo.trainStep(batch, ctx);
    expect(tf.memory().numTensors).toBe(before);
    expect(last.loss).toBeLessThan(first.loss!);
    expect(optim.steps).toBe(21);
    tf.dispose([batch.images, batch.labels]);
    algo.dispose();
  });

  it('reads a subnet YAML file, and trains the max subnet of a supernet without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfrazor-ic-'));
    try {
      const file = join(dir, 'subnet.yaml');
      saveSubnet(file, { 'hidden.out_channels': 2, depth: 2 });
      const a = new ImageClassifier({ architecture: { type: 'test/TinySupernet' }, subnet: file });
      expect((a.architecture as TinySupernet).mutator.current()).toEqual({ 'hidden.out_channels': 2, depth: 2 });
      const partial = new ImageClassifier({ architecture: { type: 'test/TinySupernet' }, subnet: { depth: 1 } });
      expect((partial.architecture as TinySupernet).mutator.current()).toEqual({ 'hidden.out_channels': 4, depth: 1 });
      expect((partial.architecture as TinySupernet).mutator.mutables.every((m) => m.isFixed)).toBe(true);
      partial.dispose();
      const b = new ImageClassifier({ architecture: { type: 'test/TinySupernet' } });
      expect((b.architecture as TinySupernet).mutator.current()).toEqual({ 'hidden.out_channels': 4, depth: 2 });
      expect((b.architecture as TinySupernet).mutator.mutables.every((m) => m.isFixed)).toBe(true);
      a.dispose();
      b.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a subnet for a fixed network and a choice outside the space', () => {
    expect(() => new ImageClassifier({ architecture: { type: 'test/TinyFixedNet' }, subnet: { depth: 1 } })).toThrow(AlgorithmConfigError);
    expect(() => new ImageClassifier({ architecture: { type: 'test/TinySupernet' }, subnet: { depth: 3 } })).toThrow(/valid choices are/);
  });
});
