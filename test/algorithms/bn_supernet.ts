import { tf, type Tensor } from '../../src/tf.js';
import '../../src/models/index.js';
import { ResNetSupernet, type ResNetSupernetInput } from '../../src/models/resnet_supernet.js';
import { batchNormLayers } from '../../src/models/ops/dynamic_batchnorm2d.js';
import type { Module } from '../../src/models/module.js';
import { Rng } from '../../src/services/rng.js';

/**
 * A ResNet supernet with batch norm small enough for exact step tests: 6x6x1 images, stem and two
 * stages of BasicBlocks (depths 1 or 2, widths 0.5 or 1.0 of 4 and 8 channels), 3 classes. Every
 * BN blends batch statistics into its running ones in train mode (momentum 0.1).
 */
export const BN_SUPERNET: ResNetSupernetInput & { type: string } = {
  type: 'ResNetSupernet',
  in_channels: 1,
  input_size: 6,
  num_classes: 3,
  width_ratios: [1.0, 0.5],
  divisor: 2,
  stem: { base_channels: 4, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true },
  stages: [
    { depth_choices: [1, 2], base_channels: 4, stride: 1 },
    { depth_choices: [1, 2], base_channels: 8, stride: 2 },
  ],
  init_seed: 3,
};

export function bnBatch(n = 6, seed = 5): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  const rng = new Rng(seed);
  const images = tf.tensor4d(Array.from({ length: n * 36 }, () => rng.normal()), [n, 6, 6, 1]);
  const labels = tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32');
  return { images, labels };
}

/** Running statistics and the blend count of every BN layer, by module name. */
export function bnStats(model: Module): Record<string, { mean: number[]; variance: number[]; tracked: number }> {
  const names = new Map(model.namedModules().map(([name, m]) => [m, name]));
  return Object.fromEntries(
    batchNormLayers(model).map((bn) => [
      names.get(bn)!,
      { mean: Array.from(bn.runningMean!.dataSync()), variance: Array.from(bn.runningVar!.dataSync()), tracked: bn.numBatchesTracked },
    ]),
  );
}

/** Non-trivial running statistics (so eval-mode and train-mode forwards differ), seeded. */
export function randomiseRunningStats(model: Module, seed: number): void {
  let k = seed;
  for (const bn of batchNormLayers(model)) {
    bn.runningMean!.assign(tf.randomNormal(bn.runningMean!.shape, 0, 0.5, 'float32', k++));
    bn.runningVar!.assign(tf.randomUniform(bn.runningVar!.shape, 0.3, 3, 'float32', k++));
  }
}

/** A separate supernet with the same config and a copy of every parameter and buffer of `source`. */
export function twinOf(source: Module): ResNetSupernet {
  const twin = new ResNetSupernet(BN_SUPERNET);
  twin.loadStateDict(source.stateDict() as Record<string, Tensor>);
  return twin;
}

export function maxAbsDiff(a: number[], b: number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}
