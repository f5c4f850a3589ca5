import { tf, type Tensor2D, type Variable } from '../../tf.js';
import { Module } from '../module.js';
import type { Mutable } from '../../mutables/types.js';
import type { ChannelSource } from '../../mutables/sources.js';
import { mutablesOf } from '../../mutables/collect.js';
import { linearDefault, type BuildContext } from './build_context.js';
import type { Costed, ModuleCost, SpatialSize } from './cost.js';

export interface DynamicLinearOptions {
  inFeatures: ChannelSource;
  outFeatures: ChannelSource;
  bias?: boolean;
}

/** Linear layer (weight [in_max, out_max]) whose active subnet uses the first in/out features. */
export class DynamicLinear extends Module implements Costed {
  readonly inFeatures: ChannelSource;
  readonly outFeatures: ChannelSource;
  readonly weight: Variable | undefined;
  readonly bias: Variable | undefined;
  readonly hasBias: boolean;

  constructor(opts: DynamicLinearOptions, ctx: BuildContext) {
    super();
    this.inFeatures = opts.inFeatures;
    this.outFeatures = opts.outFeatures;
    const fanIn = this.inFeatures.maxChannels;
    const out = this.outFeatures.maxChannels;
    this.hasBias = opts.bias ?? true;
    if (ctx.allocate) {
      this.weight = this.registerParameter('weight', linearDefault([fanIn, out], fanIn, ctx.rng));
      if (this.hasBias) this.bias = this.registerParameter('bias', linearDefault([out], fanIn, ctx.rng));
    }
  }

  forward(x: Tensor2D): Tensor2D {
    if (!this.weight) throw new Error('DynamicLinear was built without tensors (allocate: false); it can only report its cost.');
    const cin = this.inFeatures.currentChannels;
    const cout = this.outFeatures.currentChannels;
    const fullIn = cin === this.inFeatures.maxChannels;
    const fullOut = cout === this.outFeatures.maxChannels;
    const w = (fullIn && fullOut ? this.weight : tf.slice(this.weight, [0, 0], [cin, cout])) as Tensor2D;
    const b = this.bias && (fullOut ? this.bias : tf.slice(this.bias, 0, cout));
    return tf.fused.matMul({ a: x, b: w, bias: b }) as Tensor2D;
  }

  cost(input: SpatialSize): ModuleCost {
    const cin = this.inFeatures.currentChannels;
    const cout = this.outFeatures.currentChannels;
    return { macs: cin * cout, params: cin * cout + (this.hasBias ? cout : 0), output: input };
  }

  mutables(): Mutable[] {
    return [...mutablesOf(this.inFeatures), ...mutablesOf(this.outFeatures)];
  }
}
