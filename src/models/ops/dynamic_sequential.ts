import type { Tensor4D } from '../../tf.js';
import { Module } from '../module.js';
import type { Mutable } from '../../mutables/types.js';
import { fixedValue, type ValueSource } from '../../mutables/sources.js';
import { mutablesOf } from '../../mutables/collect.js';
import { chainCosts, type Costed, type ModuleCost, type SpatialSize } from './cost.js';

/** A feature-map layer: NHWC in, NHWC out, with an analytic cost. */
export interface Layer extends Module, Costed {
  forward(x: Tensor4D): Tensor4D;
}

/** Blocks run in order; the active subnet runs only the first `depth` of them. */
export class DynamicSequential extends Module implements Costed {
  readonly blocks: readonly Layer[];
  readonly depth: ValueSource;

  constructor(blocks: Layer[], depth?: ValueSource) {
    super();
    this.blocks = blocks;
    this.depth = depth ?? fixedValue(blocks.length);
    if (this.depth.maxValue > blocks.length) {
      throw new Error(`DynamicSequential: max depth ${this.depth.maxValue} exceeds its ${blocks.length} blocks.`);
    }
    blocks.forEach((b, i) => this.addModule(String(i), b));
  }

  /** The blocks of the current depth. */
  activeBlocks(): readonly Layer[] {
    const d = this.depth.currentValue;
    return d === this.blocks.length ? this.blocks : this.blocks.slice(0, d);
  }

  forward(x: Tensor4D): Tensor4D {
    let y = x;
    for (const b of this.activeBlocks()) y = b.forward(y);
    return y;
  }

  cost(input: SpatialSize): ModuleCost {
    return chainCosts(input, this.activeBlocks());
  }

  mutables(): Mutable[] {
    return mutablesOf(this.depth);
  }
}
