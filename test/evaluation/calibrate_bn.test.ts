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

// Three batches of 2x1x2 images with 2 channels; the last batch has one sample, so it must weigh
// half as much as each of the others (mmrazor and OFA average batch statistics by sample count).
const raw: number[][][][] = [
  [[[1, 10], [3, 14]], [[2, 11], [6, 9]]],
  [[[0, 20], [4, 12]], [[8, 13], [5, 15]]],
  [[[7, 30], [-1, 2]]],
];
const batches = (): Batch[] =>
  raw.map((b) => ({ images: tf.tensor4d(b.flat(2), [b.length, 1, 2, 2]), labels: tf.zeros([b.length], 'int32') as tf.Tensor1D }));

describe('calibrateBatchNorm', () => {
  it('sets running stats to the sample-weighted average of per-batch mean and unbiased variance (by hand)', async () => {
    // By hand, per channel (values over N*H*W = 4, 4, 2 entries):
    //   batch 1: ch0 1,3,2,6  mean 3     var 14/3     ch1 10,14,11,9  mean 11  var 14/3
    //   batch 2: ch0 0,4,8,5  mean 4.25  var 32.75/3  ch1 20,12,13,15 mean 15  var 38/3
    //   batch 3: ch0 7,-1     mean 3     var 32       ch1 30,2        mean 16  var 392
    // weights 2/5, 2/5, 1/5: mean (3.5, 13.6), var (379/30, 1280/15). Equal batch weights would give
    // mean ch0 = (3 + 4.25 + 3) / 3 = 3.4167.
    const net = new TinyNet();
    net.bn1.runningMean!.assign(tf.tensor1d([100, 100]));
    net.eval();
    const data = batches();
    const before = tf.memory().numTensors;
    const summary = await calibrateBatchNorm(net, data);
    expect(tf.memory().numTensors).toBe(before);
    expect(summary).toEqual({ numSamples: 5, numBatches: 3, calibratedLayers: 3 });
    expect(Array.from(net.bn1.runningMean!.dataSync())).toEqual([expect.closeTo(3.5, 5), expect.closeTo(13.6, 5)]);
    expect(Array.from(net.bn1.runningVar!.dataSync())).toEqual([expect.closeTo(379 / 30, 4), expect.closeTo(1280 / 15, 4)]);
    expect(net.training).toBe(false);
    expect(net.bn1.momentum).toBe(0.1);
    expect(net.bn1.numBatchesTracked).toBe(0);
    tf.dispose(data.flatMap((b) => [b.images, b.labels]));
  });

  it('reads exactly numSamples samples, cutting the last batch (mmrazor)', async () => {
    // 3 samples: batch 1 whole, then the first sample of batch 2 (ch0 0,4: mean 2, var 8; ch1 20,12: mean 16, var 32).
    const net = new TinyNet();
    const data = batches();
    const summary = await calibrateBatchNorm(net, data, 3);
    expect(summary).toEqual({ numSamples: 3, numBatches: 2, calibratedLayers: 3 });
    expect(Array.from(net.bn1.runningMean!.dataSync())).toEqual([expect.closeTo((2 * 3 + 2) / 3, 5), expect.closeTo((2 * 11 + 16) / 3, 5)]);
    expect(Array.from(net.bn1.runningVar!.dataSync())).toEqual([expect.closeTo((28 / 3 + 8) / 3, 4), expect.closeTo((28 / 3 + 32) / 3, 4)]);
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
