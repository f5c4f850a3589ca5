import { describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import '../../src/register_all.js';
import { MODELS } from '../../src/registry/registries.js';
import type { Supernet } from '../../src/models/types.js';
import type { Batch } from '../../src/datasets/types.js';
import { validateArchitecture } from '../../src/engine/validation.js';
import { Rng } from '../../src/services/rng.js';
import { TinyLoader } from './fixtures.js';

const ARCH = {
  type: 'ResNetSupernet',
  in_channels: 1,
  input_size: 4,
  num_classes: 3,
  width_ratios: [1.0, 0.5],
  divisor: 2,
  stem: { base_channels: 4, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true },
  stages: [{ depth_choices: [1, 2], base_channels: 4, stride: 2 }],
};

describe('validateArchitecture', () => {
  it('reports max and min subnets and leaves subnet, BN statistics and memory as they were', async () => {
    const net = MODELS.build<Supernet>(ARCH);
    const chosen = net.mutator.sample(new Rng(3));
    net.mutator.set(chosen);
    const buffersBefore = net.namedBuffers().map(([, v]) => Array.from(v.dataSync()));
    const calibration: Batch[] = [];
    const train = new TinyLoader(8, 4, 1);
    for await (const b of train) calibration.push(b);
    const tensorsBefore = tf.memory().numTensors;
    const metrics = await validateArchitecture(
      net,
      { val: new TinyLoader(6, 3, 2), calibration },
      { subnets: ['max', 'min'], calibrate_bn: true, calibrate_sample_num: 8, topk: [1, 2] },
    );
    expect(Object.keys(metrics).sort()).toEqual(['max/top1', 'max/top2', 'min/top1', 'min/top2']);
    for (const v of Object.values(metrics)) expect(v).toBeGreaterThanOrEqual(0);
    expect(net.mutator.current()).toEqual(chosen);
    expect(net.namedBuffers().map(([, v]) => Array.from(v.dataSync()))).toEqual(buffersBefore);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(net.training).toBe(true);
  });
});
