import type { Scalar } from '@tensorflow/tfjs';
import { tf, type Tensor } from '../../tf.js';
import { OPTIMIZERS } from '../../registry/registries.js';
import type { TypedConfig } from '../../registry/registry.js';
import type { Module } from '../../models/module.js';
import type { OptimWrapper } from '../types.js';
import type { Optimizer, OptimizerState, ParamSpec } from './optimizer.js';
import { paramSpecs, type ParamwiseConfig } from './param_groups.js';

export interface ClipGradConfig {
  max_norm: number;
}

export interface OptimWrapperConfig {
  type?: string;
  optimizer: TypedConfig;
  clip_grad?: ClipGradConfig | null;
  paramwise_cfg?: Partial<ParamwiseConfig>;
}

export interface OptimWrapperState {
  optimizer: OptimizerState;
}

export const OPTIM_WRAPPER_SCHEMA = {
  type: 'object',
  properties: {
    type: { description: 'The optimizer wrapper class (only OptimWrapper exists).', enum: ['OptimWrapper'], default: 'OptimWrapper' },
    optimizer: { 'x-kind': 'optimizers' },
    clip_grad: {
      description: 'Clip the summed gradients to this global L2 norm before each step; null disables clipping.',
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          properties: {
            max_norm: { description: 'Largest allowed global L2 norm of all gradients.', type: 'number', exclusiveMinimum: 0 },
            norm_type: { description: 'Only the L2 norm (2) is supported.', const: 2, default: 2 },
          },
          required: ['max_norm'],
          additionalProperties: false,
        },
      ],
      default: null,
    },
    paramwise_cfg: {
      description: 'Per-parameter multipliers of weight decay.',
      type: 'object',
      properties: {
        norm_decay_mult: { description: 'Weight decay multiplier of normalisation layers (0 exempts BN gamma/beta).', type: 'number', minimum: 0, default: 1 },
        bias_decay_mult: { description: 'Weight decay multiplier of biases (0 exempts them).', type: 'number', minimum: 0, default: 1 },
      },
      additionalProperties: false,
      default: {},
    },
  },
  required: ['optimizer'],
  additionalProperties: false,
};

/**
 * The OptimWrapper of the engine contract: sums gradients of one or more `accumulate` calls (one per
 * supernet path), then `step` clips by global norm if configured, applies the optimizer at the
 * scheduled learning rate and clears the sums.
 */
export class DefaultOptimWrapper implements OptimWrapper {
  readonly optimizer: Optimizer;
  readonly params: readonly ParamSpec[];
  private readonly maxNorm: number | null;
  private readonly byVariableName: Map<string, number>;
  private readonly pending = new Map<number, Tensor>();
  private currentLr: number;
  /** Global L2 norm of the last applied gradients before clipping (computed only when clipping). */
  lastGradNorm = 0;

  constructor(cfg: OptimWrapperConfig, model: Module) {
    this.optimizer = OPTIMIZERS.build<Optimizer>(cfg.optimizer);
    this.params = paramSpecs(model, this.optimizer.weightDecay, cfg.paramwise_cfg ?? {});
    this.maxNorm = cfg.clip_grad?.max_norm ?? null;
    this.byVariableName = new Map(this.params.map((p, i) => [p.variable.name, i]));
    this.currentLr = this.optimizer.baseLr;
  }

  get lr(): number {
    return this.currentLr;
  }

  /** Set by the parameter schedulers before each iteration. */
  setLr(lr: number): void {
    this.currentLr = lr;
  }

  get hasPendingGradients(): boolean {
    return this.pending.size > 0;
  }

  accumulate(lossFn: () => Scalar): number {
    const { value, grads } = tf.variableGrads(lossFn, this.params.map((p) => p.variable));
    const loss = value.dataSync()[0]!;
    value.dispose();
    for (const [name, g] of Object.entries(grads)) {
      const index = this.byVariableName.get(name)!;
      const prev = this.pending.get(index);
      if (prev === undefined) {
        this.pending.set(index, g);
      } else {
        this.pending.set(index, tf.add(prev, g));
        prev.dispose();
        g.dispose();
      }
    }
    return loss;
  }

  step(): void {
    if (this.pending.size === 0) return;
    const indices = [...this.pending.keys()].sort((a, b) => a - b);
    const grads = indices.map((i) => this.pending.get(i)!);
    tf.tidy(() => {
      let applied = grads;
      // The norm costs a device sync, so it is computed only when clipping needs it.
      if (this.maxNorm !== null) {
        this.lastGradNorm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0]!;
        const coef = this.maxNorm / (this.lastGradNorm + 1e-6);
        if (coef < 1) applied = grads.map((g) => tf.mul(g, coef));
      }
      this.optimizer.update(indices.map((i) => this.params[i]!), applied, this.currentLr);
    });
    this.zeroGrad();
  }

  /** Drop accumulated gradients without applying them. */
  zeroGrad(): void {
    for (const g of this.pending.values()) g.dispose();
    this.pending.clear();
  }

  getState(): OptimWrapperState {
    return { optimizer: this.optimizer.getState() };
  }

  setState(state: OptimWrapperState): void {
    this.zeroGrad();
    this.optimizer.setState(state.optimizer, this.params);
  }

  dispose(): void {
    this.zeroGrad();
    this.optimizer.dispose();
  }
}
