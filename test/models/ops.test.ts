import { describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { MutableChannel, MutableValue, fixedChannels } from '../../src/mutables/index.js';
import {
  DynamicBatchNorm2d, DynamicConv2d, DynamicLinear, DynamicSequential, buildContext, type Layer,
} from '../../src/models/ops/index.js';

function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-4): void {
  expect(a.shape).toEqual(b.shape);
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
  expect(d).toBeLessThan(tol);
}

/** Slice a nested-array weight in plain JS, independent of tf.slice. */
function sliceHWIO(w: number[][][][], off: number, k: number, cin: number, cout: number): tf.Tensor4D {
  const out = w.slice(off, off + k).map((row) => row.slice(off, off + k).map((col) => col.slice(0, cin).map((v) => v.slice(0, cout))));
  return tf.tensor4d(out);
}

describe('DynamicConv2d', () => {
  it('equals a fixed conv built from the first channels of the weight', () => {
    const cin = new MutableChannel({ alias: 'in', choices: [1, 0.5], base_channels: 16 });
    const cout = new MutableChannel({ alias: 'out', choices: [1, 0.75, 0.5], base_channels: 32 });
    const conv = new DynamicConv2d({ inChannels: cin, outChannels: cout, kernelSize: 3, stride: 2 }, buildContext({ seed: 1 }));
    const w = conv.weight!.arraySync() as number[][][][];
    cin.currentChoice = 0.5;
    cout.currentChoice = 0.75;
    const x = tf.randomNormal([2, 7, 7, 8], 0, 1, 'float32', 3) as tf.Tensor4D;
    const y = conv.forward(x);
    const ref = tf.conv2d(x, sliceHWIO(w, 0, 3, 8, 24), 2, 1);
    close(y, ref);
    expect(y.shape).toEqual([2, 4, 4, 24]);
    expect(conv.cost({ h: 7, w: 7 })).toEqual({ macs: 9 * 8 * 24 * 16, params: 9 * 8 * 24, output: { h: 4, w: 4 } });
    expect(conv.mutables().map((m) => m.alias)).toEqual(['in', 'out']);
  });

  it('depthwise with a kernel-size choice uses the centre of the largest kernel', () => {
    const c = new MutableChannel({ alias: 'c', choices: [12, 8] });
    const k = new MutableValue({ alias: 'k', choices: [3, 5, 7] });
    const conv = new DynamicConv2d({ inChannels: c, kernelSize: k, depthwise: true }, buildContext({ seed: 2 }));
    expect(conv.weight!.shape).toEqual([7, 7, 12, 1]);
    const w = conv.weight!.arraySync() as number[][][][];
    c.currentChoice = 8;
    k.currentChoice = 3;
    const x = tf.randomNormal([1, 6, 6, 8], 0, 1, 'float32', 4) as tf.Tensor4D;
    close(conv.forward(x), tf.depthwiseConv2d(x, sliceHWIO(w, 2, 3, 8, 1), 1, 1));
    expect(conv.cost({ h: 6, w: 6 })).toEqual({ macs: 9 * 8 * 36, params: 72, output: { h: 6, w: 6 } });
  });

  it('uses the variable itself at the max choice', () => {
    const conv = new DynamicConv2d({ inChannels: fixedChannels(2), outChannels: fixedChannels(4), kernelSize: 1 }, buildContext());
    expect(conv.activeWeight()).toBe(conv.weight);
  });

  it('Kaiming fan_out init has the right spread', () => {
    const conv = new DynamicConv2d({ inChannels: fixedChannels(64), outChannels: fixedChannels(64), kernelSize: 3 }, buildContext({ seed: 5 }));
    const std = tf.tidy(() => Math.sqrt(tf.moments(conv.weight!).variance.dataSync()[0]!));
    expect(std).toBeCloseTo(Math.sqrt(2 / (64 * 9)), 2);
  });
});

describe('DynamicBatchNorm2d', () => {
  const data = tf.tensor4d([1, 10, 5, 3, 20, 7, 5, 30, 9, 7, 40, 11], [2, 2, 1, 3]);

  it('train mode normalises with batch stats and updates only the first c running entries', () => {
    const ch = new MutableChannel({ alias: 'c', choices: [4, 3] });
    const bn = new DynamicBatchNorm2d({ channels: ch }, buildContext());
    ch.currentChoice = 3;
    const y = bn.forward(data);
    // channel 0 values 1,3,5,7: mean 4, biased var 5, unbiased 20/3
    const yc0 = y.arraySync() as number[][][][];
    expect(yc0[0]![0]![0]![0]).toBeCloseTo(-3 / Math.sqrt(5 + 1e-5), 4);
    const rm = bn.runningMean!.arraySync() as number[];
    const rv = bn.runningVar!.arraySync() as number[];
    expect(rm[0]).toBeCloseTo(0.1 * 4, 5);
    expect(rm[3]).toBe(0);
    expect(rv[0]).toBeCloseTo(0.9 + 0.1 * (20 / 3), 5);
    expect(rv[3]).toBe(1);
  });

  it('train-mode gradients equal autodiff of moments + batchNorm', () => {
    const ch = new MutableChannel({ alias: 'c', choices: [4, 3] });
    const bn = new DynamicBatchNorm2d({ channels: ch }, buildContext());
    bn.gamma!.assign(tf.tensor1d([0.5, 1.5, -1, 2]));
    bn.beta!.assign(tf.tensor1d([0.1, 0.2, 0.3, 0.4]));
    ch.currentChoice = 3;
    const x = tf.randomNormal([2, 3, 3, 3], 1, 2, 'float32', 7) as tf.Tensor4D;
    const w = tf.randomNormal([2, 3, 3, 3], 0, 1, 'float32', 8);
    const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, w)) as tf.Scalar;
    const [gx, gGamma, gBeta] = tf.grads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(xi, [0, 1, 2]);
      return loss(tf.batchNorm(xi as tf.Tensor4D, mean as tf.Tensor1D, variance as tf.Tensor1D, b as tf.Tensor1D, g as tf.Tensor1D, 1e-5));
    })([x, tf.slice(bn.gamma!, 0, 3), tf.slice(bn.beta!, 0, 3)]);
    const got = tf.grad((xi: tf.Tensor) => loss(bn.forward(xi as tf.Tensor4D)))(x);
    close(got, gx!, 1e-4);
    const { grads } = tf.variableGrads(() => loss(bn.forward(x)), [bn.gamma!, bn.beta!]);
    close(tf.slice(grads[bn.gamma!.name]!, 0, 3), gGamma!, 1e-4);
    close(tf.slice(grads[bn.beta!.name]!, 0, 3), gBeta!, 1e-4);
    expect(grads[bn.gamma!.name]!.dataSync()[3]).toBe(0);
  });

  it('eval mode uses the sliced running stats and gamma/beta', () => {
    const ch = new MutableChannel({ alias: 'c', choices: [4, 3] });
    const bn = new DynamicBatchNorm2d({ channels: ch, eps: 0 }, buildContext());
    bn.runningMean!.assign(tf.tensor1d([1, 2, 3, 4]));
    bn.runningVar!.assign(tf.tensor1d([4, 4, 4, 4]));
    bn.gamma!.assign(tf.tensor1d([2, 2, 2, 2]));
    bn.beta!.assign(tf.tensor1d([1, 1, 1, 1]));
    bn.eval();
    ch.currentChoice = 3;
    const y = bn.forward(data);
    close(y, tf.add(tf.mul(tf.div(tf.sub(data, tf.tensor1d([1, 2, 3])), 2), 2), 1));
  });

  it('momentum null gives the cumulative average (BN re-calibration)', () => {
    const bn = new DynamicBatchNorm2d({ channels: fixedChannels(1), momentum: null }, buildContext());
    bn.runningMean!.assign(tf.tensor1d([100]));
    bn.resetRunningStats();
    const batches = [[1, 3], [5, 7, 9, 11], [2, 2]];
    for (const b of batches) bn.forward(tf.tensor4d(b, [b.length, 1, 1, 1]));
    // means 2, 8, 2 -> average 4; unbiased vars 2, 6.6667, 0 -> average 2.8889
    expect(bn.numBatchesTracked).toBe(3);
    expect(bn.runningMean!.dataSync()[0]).toBeCloseTo(4, 5);
    expect(bn.runningVar!.dataSync()[0]).toBeCloseTo((2 + 20 / 3 + 0) / 3, 5);
  });

  it('zero-init gamma and params cost', () => {
    const bn = new DynamicBatchNorm2d({ channels: fixedChannels(5), zeroInitGamma: true }, buildContext());
    expect(bn.gamma!.dataSync()[0]).toBe(0);
    expect(bn.cost({ h: 3, w: 3 })).toEqual({ macs: 0, params: 10, output: { h: 3, w: 3 } });
  });
});

describe('DynamicLinear and DynamicSequential', () => {
  it('linear uses the first input features', () => {
    const cin = new MutableChannel({ alias: 'f', choices: [8, 4] });
    const lin = new DynamicLinear({ inFeatures: cin, outFeatures: fixedChannels(3) }, buildContext({ seed: 9 }));
    const w = lin.weight!.arraySync() as number[][];
    cin.currentChoice = 4;
    const x = tf.randomNormal([2, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const ref = tf.add(tf.matMul(x, tf.tensor2d(w.slice(0, 4))), lin.bias!);
    close(lin.forward(x), ref);
    expect(lin.cost({ h: 1, w: 1 })).toMatchObject({ macs: 12, params: 15 });
  });

  it('sequential runs the first d blocks', () => {
    const d = new MutableValue({ alias: 'depth', choices: [1, 2, 3] });
    const ch = fixedChannels(2);
    const convs = [1, 2, 3].map((s) => new DynamicConv2d({ inChannels: ch, outChannels: ch, kernelSize: 1 }, buildContext({ seed: s })));
    const seq = new DynamicSequential(convs as Layer[], d);
    d.currentChoice = 2;
    const x = tf.ones([1, 2, 2, 2]) as tf.Tensor4D;
    close(seq.forward(x), convs[1]!.forward(convs[0]!.forward(x)));
    expect(seq.cost({ h: 2, w: 2 }).macs).toBe(2 * 4 * 4);
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['0.weight', '1.weight', '2.weight']);
  });
});
