import type { Tensor4D } from '../tf.js';
import { Module } from './module.js';
import type { ChannelSource, ValueSource } from '../mutables/sources.js';
import { DynamicBatchNorm2d } from './ops/dynamic_batchnorm2d.js';
import { DynamicConv2d } from './ops/dynamic_conv2d.js';
import type { BuildContext } from './ops/build_context.js';
import { chainCosts, type ModuleCost, type SpatialSize } from './ops/cost.js';
import type { Layer } from './ops/dynamic_sequential.js';

/** Batch-norm settings shared by every BN of a network. */
export interface NormOptions {
  momentum: number | null;
  eps: number;
  /** Zero-init the last BN gamma of each residual branch. */
  zeroInitResidual: boolean;
}

export type Activation = 'relu' | 'relu6' | 'none';

export interface ConvBnOptions {
  in: ChannelSource;
  /** Ignored for depthwise (out = in). */
  out?: ChannelSource;
  kernel: number | ValueSource;
  stride?: number;
  act: Activation;
  depthwise?: boolean;
  zeroInitGamma?: boolean;
}

/** conv -> BN -> activation: the unit every block is made of. */
export class ConvBn extends Module implements Layer {
  readonly conv: DynamicConv2d;
  readonly bn: DynamicBatchNorm2d;
  readonly act: Activation;

  constructor(opts: ConvBnOptions, norm: NormOptions, ctx: BuildContext) {
    super();
    this.act = opts.act;
    this.conv = this.addModule('conv', new DynamicConv2d({
      inChannels: opts.in, outChannels: opts.out, kernelSize: opts.kernel, stride: opts.stride, depthwise: opts.depthwise,
    }, ctx));
    this.bn = this.addModule('bn', new DynamicBatchNorm2d({
      channels: this.conv.outChannels, momentum: norm.momentum, eps: norm.eps, zeroInitGamma: opts.zeroInitGamma,
    }, ctx));
  }

  forward(x: Tensor4D): Tensor4D {
    if (!this.bn.training) {
      // Eval: BN folded into the conv, one fused kernel instead of conv + batchNorm + activation.
      const { scale, shift } = this.bn.evalScaleShift();
      return this.conv.forwardFolded(x, scale, shift, this.act === 'none' ? 'linear' : this.act);
    }
    return this.bn.forward(this.conv.forward(x), this.act === 'none' ? 'linear' : this.act);
  }

  cost(input: SpatialSize): ModuleCost {
    return chainCosts(input, [this.conv, this.bn]);
  }
}
