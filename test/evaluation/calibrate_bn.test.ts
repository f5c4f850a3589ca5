import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { Module } from '../../src/models/module.js';
import { DynamicBatchNorm2d } from '../../src/models/ops/dynamic_batchnorm2d.js';
import { DynamicConv2d } from '../../src/models/ops/dynamic_conv2d.js';
import { buildContext } from '../../src/models/ops/build_context.js';
import { MutableChannel } from '../../src/mutables/mutable_channel.js';
import { MutableValue } from '../../src/mutables/mutable_value.js';
import { fixedChannels } from '../../src/mutables/sources.js';
import { calibrateBatchNorm } from '../../src/evaluation/calibrate_bn.js';
import type { Batch } from '../../src/datasets/types.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** bn1 on the raw 2-channel input, conv to a width of 2 or 3, bn2, and an optional skipped bn3. */
class TinyNet extends Module {
  readonly width = new MutableChannel({ alias: 'width', choices: [2, 3] });
  readonly useThird = new MutableValue({ alias: 'third', choices: [0, 1] });
  readonly bn1: DynamicBatchNorm2d;
  readonly conv: DynamicConv2d;
  readonly bn2: DynamicBatchNorm2d;
  readonly bn3: DynamicBatchNorm2d;
  constructor() {
    super();
    const ctx = buildContext({ seed: 1 });
    this.bn1 = this.addModule('bn1', new DynamicBatchNorm2d({ channels: fixedChannels(2) }, ctx));
    this.conv = this.addModule('conv', new DynamicConv2d({ inChannels: fixedChannels(2), outChannels: this.width, kernelSize: 1 }, ctx));
    this.bn2 = this.addModule('bn2', new DynamicBatchNorm2d({ channels: this.width }, ctx));
    this.bn3 = this.addModule('bn3', new DynamicBatchNorm2d({ channels: this.width }, ctx));
  }
  forward(x: tf.Tensor4D): tf.Tensor {
    const y = this.bn2.forward(this.conv.forward(this.bn1.forward(x)));
    return this.useThird.currentChoice ? this.bn3.forward(y) : y;
  }
}

/** Per-channel mean and unbiased variance of NHWC data given as [sample][pixel][channel]. */
function handStats(batch: number[][][]): { mean: number[]; variance: number[] } {
  const c = batch[0]![0]!.length;
  const values = Array.from({ length: c }, (_, ch) => batch.flatMap((s) => s.map((p) => p[ch]!)));
  const mean = values.map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  const variance = values.map((v, ch) => v.reduce((a, b) => a + (b - mean[ch]!) ** 2, 0) / (v.length - 1));
  return { mean, variance };
}

// Three batches of 2x1x2 images with 2 channels; the last batch has one sample (weighs as much).
const raw: number[][][][] = [
  [[[1, 10], [3, 14]], [[2, 11], [6, 9]]],
  [[[0, 20], [4, 12]], [[8, 13], [5, 15]]],
  [[[7, 30], [-1, 2]]],
];
const batches = (): Batch[] =>
  raw.map((b) => ({ images: tf.tensor4d(b.flat(2), [b.length, 1, 2, 2]), labels: tf.zeros([b.length], 'int32') as tf.Tensor1D }));

describe('calibrateBatchNorm', () => {
  it('sets running stats to the average of per-batch mean and unbiased variance (hand-computed)', async () => {
    const net = new TinyNet();
    net.bn1.runningMean!.assign(tf.tensor1d([100, 100]));
    net.eval();
    const data = batches();
    const before = tf.memory().numTensors;
    const summary = await calibrateBatchNorm(net, data);
    expect(tf.memory().numTensors).toBe(before);
    expect(summary).toEqual({ numSamples: 5, numBatches: 3, calibratedLayers: 3 });
    const per = raw.map(handStats);
    const avg = (f: (s: { mean: number[]; variance: number[] }) => number[]) =>
      [0, 1].map((ch) => per.reduce((a, s) => a + f(s)[ch]!, 0) / per.length);
    expect(Array.from(net.bn1.runningMean!.dataSync())).toEqual(avg((s) => s.mean).map((v) => expect.closeTo(v, 4)));
    expect(Array.from(net.bn1.runningVar!.dataSync())).toEqual(avg((s) => s.variance).map((v) => expect.closeTo(v, 3)));
    expect(net.training).toBe(false);
    expect(net.bn1.momentum).toBe(0.1);
    tf.dispose(data.flatMap((b) => [b.images, b.labels]));
  });

  it('matches stats of bn2 computed from the normalised conv output, and leaves other widths and skipped layers alone', async () => {
    const net = new TinyNet();
    net.width.currentChoice = 2;
    net.useThird.currentChoice = 0;
    const stored = [5, 6, 7];
    net.bn2.runningMean!.assign(tf.tensor1d(stored));
    net.bn3.runningMean!.assign(tf.tensor1d(stored));
    const data = batches();
    await calibrateBatchNorm(net, data, 4);
    // Reference: bn1 in train mode normalises each batch by its own (biased) statistics, then the conv.
    const refMeans = data.slice(0, 2).map((b) =>
      tf.tidy(() => {
        const { mean, variance } = tf.moments(b.images, [0, 1, 2]);
        const x = tf.batchNorm(b.images, mean, variance, net.bn1.beta!, net.bn1.gamma!, 1e-5);
        const y = tf.conv2d(x as tf.Tensor4D, tf.slice(net.conv.weight!, [0, 0, 0, 0], [1, 1, 2, 2]) as tf.Tensor4D, 1, 0);
        return Array.from(tf.moments(y as tf.Tensor4D, [0, 1, 2]).mean.dataSync());
      }),
    );
    const got = Array.from(net.bn2.runningMean!.dataSync());
    expect(got[0]).toBeCloseTo((refMeans[0]![0]! + refMeans[1]![0]!) / 2, 4);
    expect(got[1]).toBeCloseTo((refMeans[0]![1]! + refMeans[1]![1]!) / 2, 4);
    expect(got[2]).toBe(7);
    expect(Array.from(net.bn3.runningMean!.dataSync())).toEqual(stored);
    tf.dispose(data.flatMap((b) => [b.images, b.labels]));
  });

  it('restores statistics and modes when a forward fails', async () => {
    const net = new TinyNet();
    const bad: Batch[] = [{ images: tf.zeros([1, 1, 2, 3]) as tf.Tensor4D, labels: tf.zeros([1], 'int32') as tf.Tensor1D }];
    net.bn1.runningMean!.assign(tf.tensor1d([4, 5]));
    const before = tf.memory().numTensors;
    await expect(calibrateBatchNorm(net, bad)).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(net.bn1.runningMean!.dataSync())).toEqual([4, 5]);
    expect(net.bn1.momentum).toBe(0.1);
    tf.dispose([bad[0]!.images, bad[0]!.labels]);
  });
});
