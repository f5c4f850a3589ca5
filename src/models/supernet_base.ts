import { tf, type Tensor2D, type Tensor4D } from '../tf.js';
import { Module } from './module.js';
import type { Complexity, Supernet } from './types.js';
import type { Mutable, SubnetChoices } from '../mutables/types.js';
import { Mutator } from '../mutables/mutator.js';
import { collectMutables, usesMutables } from '../mutables/collect.js';
import { DynamicSequential } from './ops/dynamic_sequential.js';
import { batchNormLayers, type DynamicBatchNorm2d } from './ops/dynamic_batchnorm2d.js';
import type { DynamicLinear } from './ops/dynamic_linear.js';
import type { BuildContext } from './ops/build_context.js';
import { chainCosts, type Costed, type ModuleCost, type SpatialSize } from './ops/cost.js';

/** Runtime options of a supernet constructor: weight-init randomness, or no tensors at all. */
export interface SupernetBuildOptions {
  ctx?: BuildContext;
}

/** Global average pooling: no macs by the TRACK1.md convention, output 1x1. */
export const GLOBAL_AVG_POOL: Costed = {
  cost: (): ModuleCost => ({ macs: 0, params: 0, output: { h: 1, w: 1 } }),
};

/**
 * What every supernet family shares: a feature body of costed layers, global average pooling, a
 * dynamic linear head, a mutator collected from the module tree, and analytic complexity.
 */
export abstract class DynamicSupernet extends Module implements Supernet {
  abstract readonly numClasses: number;
  abstract readonly inputShape: [number, number, number];
  private collected: Mutator | undefined;

  /** Feature layers in order (stem, stages, ...), NHWC in and out. */
  protected abstract bodyLayers(): readonly (Costed & { forward(x: Tensor4D): Tensor4D })[];
  protected abstract head(): DynamicLinear;

  get mutator(): Mutator {
    if (!this.collected) {
      const listed = new Set(this.searchableMutables());
      const missing = collectMutables(this.namedModules().map(([, m]) => m)).filter((m) => !listed.has(m));
      if (missing.length > 0) throw new Error(`Supernet lists its mutables without ${missing.map((m) => `'${m.alias}'`).join(', ')}, which its layers read.`);
      this.collected = new Mutator(listed);
    }
    return this.collected;
  }

  /** The mutables in the order subnets list them (default: module order). */
  protected searchableMutables(): Mutable[] {
    return collectMutables(this.namedModules().map(([, m]) => m));
  }

  forward(x: Tensor4D): Tensor2D {
    let y = x;
    for (const layer of this.bodyLayers()) y = layer.forward(y);
    return this.head().forward(tf.mean(y, [1, 2]) as Tensor2D);
  }

  /** Macs and params of a subnet (default: the active one), from the module graph; no tensors. */
  complexity(choices?: SubnetChoices): Complexity {
    if (!choices) return this.currentComplexity();
    const before = this.mutator.current();
    this.mutator.set(choices);
    try {
      return this.currentComplexity();
    } finally {
      this.mutator.set(before);
    }
  }

  private currentComplexity(): Complexity {
    const [h, w] = this.inputShape;
    const input: SpatialSize = { h, w };
    const { macs, params } = chainCosts(input, [...this.bodyLayers(), GLOBAL_AVG_POOL, this.head()]);
    return { macs, params };
  }

  /**
   * Choices of the active subnet that change it: mutables read by layers the current depths skip
   * (e.g. the mid width of block 5 when the depth is 3) are left out.
   */
  activeChoices(): SubnetChoices {
    const out: SubnetChoices = {};
    const visit = (m: Module): void => {
      if (usesMutables(m)) for (const mut of m.mutables()) out[mut.alias] = mut.currentChoice;
      const children = m instanceof DynamicSequential ? m.activeBlocks() : m.namedChildren().map(([, c]) => c);
      for (const c of children) visit(c);
    };
    visit(this);
    const order = this.mutator.aliases.filter((a) => a in out);
    return Object.fromEntries(order.map((a) => [a, out[a]!]));
  }

  /** Every batch-norm layer (the ones BN re-calibration resets and refills). */
  batchNorms(): DynamicBatchNorm2d[] {
    return batchNormLayers(this);
  }
}
