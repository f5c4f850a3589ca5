import { describe, expect, it } from 'vitest';
import { tf, type Tensor, type Tensor4D } from '../../src/tf.js';
import { MobileNetSupernet, buildContext, type MobileNetSupernetInput } from '../../src/models/index.js';

const TINY: MobileNetSupernetInput = {
  in_channels: 1, input_size: 6, num_classes: 2, head_channels: 0,
  stem: { out_channels: 8, kernel_size: 3, stride: 1 },
  stages: [{ out_channels: 8, depth_choices: [1, 2], stride: 1 }],
  expand_ratios: [2, 3], kernel_sizes: [3, 5],
};

describe('MobileNetSupernet', () => {
  it('has depth, expand-ratio and kernel-size aliases', () => {
    const net = new MobileNetSupernet(TINY, { ctx: buildContext({ allocate: false }) });
    expect(net.mutator.mutables.map((m) => m.alias)).toEqual([
      'stage1.depth', 'stage1.block1.expand_ratio', 'stage1.block1.kernel_size', 'stage1.block2.expand_ratio', 'stage1.block2.kernel_size',
    ]);
  });

  it('counts a tiny subnet by hand', () => {
    const net = new MobileNetSupernet(TINY, { ctx: buildContext({ allocate: false }) });
    net.mutator.set({ 'stage1.depth': 1, 'stage1.block1.expand_ratio': 2, 'stage1.block1.kernel_size': 3 });
    // 6x6 maps: stem 3x3x1x8; expand 1x1 8->16; depthwise 3x3x16; project 1x1 16->8; fc 8->2
    const conv = 72 + 128 + 144 + 128;
    expect(net.complexity()).toEqual({ macs: conv * 36 + 16, params: conv + 2 * (8 + 16 + 16 + 8) + 18 });
  });

  it('a subnet forward equals plain ops on the sliced weights (centre kernel, first channels)', () => {
    const net = new MobileNetSupernet(TINY, { ctx: buildContext({ seed: 2 }) }).eval();
    net.mutator.set({ 'stage1.depth': 1, 'stage1.block1.expand_ratio': 2, 'stage1.block1.kernel_size': 3 });
    const s = net.stateDict();
    const x = tf.randomNormal([2, 6, 6, 1], 0, 1, 'float32', 3) as Tensor4D;
    tf.tidy(() => {
      const bn = (p: string, y: Tensor, c: number) => {
        const v = (n: string) => tf.slice(s[`${p}.bn.${n}`]!, 0, c) as tf.Tensor1D;
        return tf.batchNorm(y as Tensor4D, v('running_mean'), v('running_var'), v('beta'), v('gamma'), 1e-5);
      };
      const b = 'stage1.0';
      const stem = tf.relu6(bn('stem', tf.conv2d(x, s['stem.conv.weight'] as unknown as Tensor4D, 1, 1), 8));
      const e = tf.relu6(bn(`${b}.expand`, tf.conv2d(stem, tf.slice(s[`${b}.expand.conv.weight`]!, [0, 0, 0, 0], [1, 1, 8, 16]) as Tensor4D, 1, 0), 16));
      const dw = tf.relu6(bn(`${b}.depthwise`, tf.depthwiseConv2d(e, tf.slice(s[`${b}.depthwise.conv.weight`]!, [1, 1, 0, 0], [3, 3, 16, 1]) as Tensor4D, 1, 1), 16));
      const proj = bn(`${b}.project`, tf.conv2d(dw, s[`${b}.project.conv.weight`]!.slice([0, 0, 0, 0], [1, 1, 16, 8]) as Tensor4D, 1, 0), 8);
      const feat = tf.mean(tf.add(proj, stem), [1, 2]);
      const want = tf.add(tf.matMul(feat, s['fc.weight']!), s['fc.bias']!);
      const diff = tf.max(tf.abs(tf.sub(net.forward(x), want))).dataSync()[0]!;
      expect(diff).toBeLessThan(1e-4);
    });
  });
});
