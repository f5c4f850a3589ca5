import { tf, type Tensor1D, type Tensor4D, type Variable } from '../../tf.js';
import { Module } from '../module.js';
import type { Mutable } from '../../mutables/types.js';
import { fixedValue, type ChannelSource, type ValueSource } from '../../mutables/sources.js';
import { mutablesOf } from '../../mutables/collect.js';
import { kaimingNormalFanOut, type BuildContext } from './build_context.js';
import { windowOutput, type Costed, type ModuleCost, type SpatialSize } from './cost.js';

export class DynamicOpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamicOpError';
  }
}

export interface DynamicConv2dOptions {
  inChannels: ChannelSource;
  /** Ignored for depthwise convs (out = in). */
  outChannels?: ChannelSource;
  /** A fixed odd size, or a source of odd sizes; smaller kernels use the centre of the largest. */
  kernelSize: number | ValueSource;
  stride?: number;
  depthwise?: boolean;
}

/**
 * Conv2d (NHWC, no bias) whose active subnet uses the first in/out channels of one shared weight
 * [kh, kw, in_max, out_max] (depthwise: [kh, kw, c_max, 1]) and the centre of its kernel.
 */
export class DynamicConv2d extends Module implements Costed {
  readonly inChannels: ChannelSource;
  readonly outChannels: ChannelSource;
  readonly kernelSize: ValueSource;
  readonly stride: number;
  readonly depthwise: boolean;
  readonly weight: Variable | undefined;

  constructor(opts: DynamicConv2dOptions, ctx: BuildContext) {
    super();
    this.inChannels = opts.inChannels;
    this.depthwise = opts.depthwise ?? false;
    this.outChannels = this.depthwise ? opts.inChannels : (opts.outChannels ?? opts.inChannels);
    this.kernelSize = typeof opts.kernelSize === 'number' ? fixedValue(opts.kernelSize) : opts.kernelSize;
    this.stride = opts.stride ?? 1;
    const k = this.kernelSize.maxValue;
    if (k % 2 !== 1) throw new DynamicOpError(`DynamicConv2d needs an odd kernel size (centre slicing, symmetric padding), got ${k}.`);
    const cin = this.inChannels.maxChannels;
    const cout = this.depthwise ? 1 : this.outChannels.maxChannels;
    if (ctx.allocate) {
      // PyTorch fan_out = out_channels * k * k; a depthwise conv has c outputs of one input each.
      const fanOut = (this.depthwise ? cin : cout) * k * k;
      this.weight = this.registerParameter('weight', kaimingNormalFanOut([k, k, cin, cout], fanOut, ctx.rng));
    }
  }

  /** The weight slice of the current choice (the variable itself at the max choice). */
  activeWeight(): Tensor4D {
    const w = this.weight as unknown as Tensor4D;
    if (!w) throw new DynamicOpError('DynamicConv2d was built without tensors (allocate: false); it can only report its cost.');
    const kMax = this.kernelSize.maxValue;
    const k = this.kernelSize.currentValue;
    const cin = this.inChannels.currentChannels;
    const cout = this.depthwise ? 1 : this.outChannels.currentChannels;
    if (k === kMax && cin === w.shape[2] && cout === w.shape[3]) return w;
    const off = (kMax - k) / 2;
    return tf.slice(w, [off, off, 0, 0], [k, k, cin, cout]);
  }

  forward(x: Tensor4D): Tensor4D {
    const pad = Math.floor(this.kernelSize.currentValue / 2);
    const w = this.activeWeight();
    return this.depthwise ? tf.depthwiseConv2d(x, w, this.stride, pad) : tf.conv2d(x, w, this.stride, pad);
  }

  /**
   * One fused kernel: conv with the active weight scaled per output channel, plus bias and
   * activation (an eval-mode BN folded in).
   */
  forwardFolded(x: Tensor4D, scale: Tensor1D, bias: Tensor1D, activation: 'relu' | 'relu6' | 'linear'): Tensor4D {
    const pad = Math.floor(this.kernelSize.currentValue / 2);
    const w = this.activeWeight();
    if (this.depthwise) {
      const filter = tf.mul(w, tf.reshape(scale, [1, 1, -1, 1])) as Tensor4D;
      return tf.fused.depthwiseConv2d({ x, filter, strides: this.stride, pad, bias, activation });
    }
    return tf.fused.conv2d({ x, filter: tf.mul(w, scale) as Tensor4D, strides: this.stride, pad, bias, activation });
  }

  cost(input: SpatialSize): ModuleCost {
    const k = this.kernelSize.currentValue;
    const output = windowOutput(input, k, this.stride, Math.floor(k / 2));
    const cin = this.inChannels.currentChannels;
    const params = k * k * cin * (this.depthwise ? 1 : this.outChannels.currentChannels);
    return { macs: params * output.h * output.w, params, output };
  }

  mutables(): Mutable[] {
    return [...mutablesOf(this.inChannels), ...mutablesOf(this.outChannels), ...mutablesOf(this.kernelSize)];
  }
}
