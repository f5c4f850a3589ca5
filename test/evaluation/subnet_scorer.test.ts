import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { ResNetSupernet } from '../../src/models/resnet_supernet.js';
import { DynamicConv2d } from '../../src/models/ops/dynamic_conv2d.js';
import { SubnetScorer } from '../../src/evaluation/subnet_scorer.js';
import { Rng } from '../../src/services/rng.js';
import type { Batch } from '../../src/datasets/types.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const net = () =>
  new ResNetSupernet({
    block: 'BasicBlock', in_channels: 1, input_size: 8, num_classes: 3, width_ratios: [1.0, 0.5],
    stem: { base_channels: 8, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true },
    stages: [{ depth_choices: [1, 2], base_channels: 8, stride: 1 }, { depth_choices: [1, 2], base_channels: 16, stride: 2 }],
  });

function batches(n: number, seed: number): Batch[] {
  return Array.from({ length: n }, (_, i) => ({
    images: tf.randomNormal([6, 8, 8, 1], 0, 1, 'float32', seed + i) as tf.Tensor4D,
    labels: tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'),
  }));
}

describe('SubnetScorer', () => {
  it('scores identically with and without the per-subnet weight cache, restores the ops and leaks nothing', async () => {
    const model = net();
    const cached = new SubnetScorer(model, { valBatches: batches(2, 10), calibBatches: batches(2, 20), topk: [1, 2] });
    const plain = new SubnetScorer(model, { valBatches: batches(2, 10), calibBatches: batches(2, 20), topk: [1, 2], cacheWeights: false });
    const rng = new Rng(1);
    const subnets = Array.from({ length: 4 }, () => ({ ...model.mutator.sample(rng) }));
    await cached.score(subnets[0]!);
    const before = tf.memory().numTensors;
    const first: Record<string, number>[] = [];
    for (const s of subnets) {
      const a = await cached.score(s);
      first.push(a.metrics);
      const b = await plain.score(s);
      expect(a.metrics).toEqual(b.metrics);
      expect(a.timings.calibMs).toBeGreaterThan(0);
      // At most one cached slice per conv: the count cannot grow with the number of subnets.
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before + model.namedModules().filter(([, m]) => m instanceof DynamicConv2d).length);
    }
    // Scores depend only on the subnet, not on what was scored before (calibration resets the stats).
    const again = await cached.score(subnets[1]!);
    expect(again.metrics).toEqual(first[1]);
    const conv = model.namedModules().map(([, m]) => m).find((m) => m instanceof DynamicConv2d)!;
    expect(Object.prototype.hasOwnProperty.call(conv, 'activeWeight')).toBe(true);
    const params = tf.memory().numTensors;
    cached.dispose();
    plain.dispose();
    expect(Object.prototype.hasOwnProperty.call(conv, 'activeWeight')).toBe(false);
    expect(tf.memory().numTensors).toBeLessThan(params);
    model.dispose();
  });
});
