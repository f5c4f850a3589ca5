import type { Tensor4D } from '../tf.js';
import { addRelu } from '../backend/native_ops.js';
import { Module } from './module.js';
import type { ChannelSource } from '../mutables/sources.js';
import { ConvBn, type NormOptions } from './conv_bn.js';
import type { BuildContext } from './ops/build_context.js';
import { chainCosts, type ModuleCost, type SpatialSize } from './ops/cost.js';
import type { Layer } from './ops/dynamic_sequential.js';

/** Channel sources of one residual block. */
export interface BlockWidths {
  in: ChannelSource;
  mid: ChannelSource;
  out: ChannelSource;
}

abstract class ResidualBlock extends Module implements Layer {
  protected abstract readonly branch: ConvBn[];
  protected abstract readonly shortcut: ConvBn | undefined;

  /**
   * Projection shortcut (1x1 conv + BN) when the block changes resolution or its input and output
   * widths are different channel units; identity otherwise.
   */
  protected buildShortcut(w: BlockWidths, stride: number, norm: NormOptions, ctx: BuildContext): ConvBn | undefined {
    if (stride === 1 && w.in === w.out) return undefined;
    return this.addModule('shortcut', new ConvBn({ in: w.in, out: w.out, kernel: 1, stride, act: 'none' }, norm, ctx));
  }

  forward(x: Tensor4D): Tensor4D {
    let y = x;
    for (const unit of this.branch) y = unit.forward(y);
    return addRelu(y, this.shortcut ? this.shortcut.forward(x) : x);
  }

  cost(input: SpatialSize): ModuleCost {
    const main = chainCosts(input, this.branch);
    if (!this.shortcut) return main;
    const sc = this.shortcut.cost(input);
    return { macs: main.macs + sc.macs, params: main.params + sc.params, output: main.output };
  }
}

/** conv3x3(in->mid, stride) BN ReLU, conv3x3(mid->out) BN, + shortcut, ReLU (TRACK1.md). */
export class BasicBlock extends ResidualBlock {
  protected readonly branch: ConvBn[];
  protected readonly shortcut: ConvBn | undefined;

  constructor(w: BlockWidths, stride: number, norm: NormOptions, ctx: BuildContext) {
    super();
    this.branch = [
      this.addModule('conv1', new ConvBn({ in: w.in, out: w.mid, kernel: 3, stride, act: 'relu' }, norm, ctx)),
      this.addModule('conv2', new ConvBn({ in: w.mid, out: w.out, kernel: 3, act: 'none', zeroInitGamma: norm.zeroInitResidual }, norm, ctx)),
    ];
    this.shortcut = this.buildShortcut(w, stride, norm, ctx);
  }
}

/** conv1x1(in->mid) BN ReLU, conv3x3(mid->mid, stride) BN ReLU, conv1x1(mid->out) BN, + shortcut, ReLU. */
export class Bottleneck extends ResidualBlock {
  protected readonly branch: ConvBn[];
  protected readonly shortcut: ConvBn | undefined;

  constructor(w: BlockWidths, stride: number, norm: NormOptions, ctx: BuildContext) {
    super();
    this.branch = [
      this.addModule('conv1', new ConvBn({ in: w.in, out: w.mid, kernel: 1, act: 'relu' }, norm, ctx)),
      this.addModule('conv2', new ConvBn({ in: w.mid, out: w.mid, kernel: 3, stride, act: 'relu' }, norm, ctx)),
      this.addModule('conv3', new ConvBn({ in: w.mid, out: w.out, kernel: 1, act: 'none', zeroInitGamma: norm.zeroInitResidual }, norm, ctx)),
    ];
    this.shortcut = this.buildShortcut(w, stride, norm, ctx);
  }
}
