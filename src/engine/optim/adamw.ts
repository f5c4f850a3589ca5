import { tf, type Tensor } from '../../tf.js';
import { OPTIMIZERS } from '../../registry/registries.js';
import type { Optimizer, OptimizerState, ParamSpec } from './optimizer.js';
import { SlotStore } from './slots.js';

export interface AdamWConfig {
  type?: string;
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
}

export const ADAMW_SCHEMA = {
  type: 'object',
  properties: {
    lr: { description: 'Base learning rate (schedulers scale it).', type: 'number', exclusiveMinimum: 0 },
    betas: {
      description: 'Decay rates of the first and second moment estimates.',
      type: 'array',
      items: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
      minItems: 2,
      maxItems: 2,
      default: [0.9, 0.999],
    },
    eps: { description: 'Added to the denominator for numerical stability.', type: 'number', exclusiveMinimum: 0, default: 1e-8 },
    weight_decay: { description: 'Decoupled weight decay (the parameter shrinks by lr * weight_decay per step).', type: 'number', minimum: 0, default: 0.01 },
  },
  required: ['lr'],
  additionalProperties: false,
};

/** Adam with decoupled weight decay (Loshchilov & Hutter), PyTorch's AdamW update and defaults. */
export class AdamW implements Optimizer {
  readonly baseLr: number;
  readonly weightDecay: number;
  private readonly cfg: AdamWConfig;
  private readonly slots = new SlotStore();

  constructor(cfg: Partial<AdamWConfig> & { lr: number }) {
    this.cfg = { betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01, ...cfg };
    this.baseLr = cfg.lr;
    this.weightDecay = this.cfg.weight_decay;
  }

  update(params: readonly ParamSpec[], grads: readonly Tensor[], lr: number): void {
    const [b1, b2] = this.cfg.betas;
    params.forEach((p, i) => {
      tf.tidy(() => {
        const g = grads[i]!;
        const t = this.slots.nextStep(p.name);
        const m = this.slots.get(p.name, 'exp_avg') ?? this.slots.create(p.name, 'exp_avg', tf.zerosLike(g));
        const v = this.slots.get(p.name, 'exp_avg_sq') ?? this.slots.create(p.name, 'exp_avg_sq', tf.zerosLike(g));
        m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
        const stepSize = lr / (1 - b1 ** t);
        const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - b2 ** t)), this.cfg.eps);
        const decayed = p.weightDecay !== 0 ? tf.mul(p.variable, 1 - lr * p.weightDecay) : p.variable;
        p.variable.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), stepSize)));
      });
    });
  }

  getState(): OptimizerState {
    return this.slots.getState();
  }

  setState(state: OptimizerState, params: readonly ParamSpec[]): void {
    this.slots.setState(state, new Map(params.map((p) => [p.name, [...p.variable.shape]])));
  }

  dispose(): void {
    this.slots.dispose();
  }
}

OPTIMIZERS.register('AdamW', AdamW, { schema: ADAMW_SCHEMA });
