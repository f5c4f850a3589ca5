import { tf, type Tensor } from '../../tf.js';
import { OPTIMIZERS } from '../../registry/registries.js';
import type { Optimizer, OptimizerState, ParamSpec } from './optimizer.js';
import { SlotStore } from './slots.js';
import { SGD_STEP } from '../../backend/wasm/sgd_step.js';

export interface SGDConfig {
  type?: string;
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weight_decay: number;
}

export const SGD_SCHEMA = {
  type: 'object',
  properties: {
    lr: { description: 'Base learning rate (schedulers scale it).', type: 'number', exclusiveMinimum: 0 },
    momentum: { description: 'Momentum factor (0 disables the momentum buffer).', type: 'number', minimum: 0, maximum: 1, default: 0 },
    dampening: { description: 'Dampening of the momentum (PyTorch semantics).', type: 'number', minimum: 0, maximum: 1, default: 0 },
    nesterov: { description: 'Use Nesterov momentum (needs momentum > 0 and dampening 0).', type: 'boolean', default: false },
    weight_decay: { description: 'L2 penalty added to the gradient (paramwise_cfg may exempt BN and biases).', type: 'number', minimum: 0, default: 0 },
  },
  required: ['lr'],
  additionalProperties: false,
};

export class OptimizerConfigError extends Error {
  override readonly name = 'OptimizerConfigError';
  readonly isUserError = true;
}

/** Stochastic gradient descent with PyTorch's semantics (momentum buffer starts at the first gradient). */
export class SGD implements Optimizer {
  readonly baseLr: number;
  readonly weightDecay: number;
  private readonly cfg: SGDConfig;
  private readonly slots = new SlotStore();

  constructor(cfg: Partial<SGDConfig> & { lr: number }) {
    this.cfg = { momentum: 0, dampening: 0, nesterov: false, weight_decay: 0, ...cfg };
    this.baseLr = cfg.lr;
    this.weightDecay = this.cfg.weight_decay;
    if (this.cfg.nesterov && (this.cfg.momentum <= 0 || this.cfg.dampening !== 0)) {
      throw new OptimizerConfigError(`SGD: nesterov: true needs momentum > 0 and dampening 0, got momentum ${this.cfg.momentum} and dampening ${this.cfg.dampening}.`);
    }
  }

  update(params: readonly ParamSpec[], grads: readonly Tensor[], lr: number): void {
    if (tf.getKernel(SGD_STEP, tf.getBackend()) !== undefined) {
      this.fusedUpdate(params, grads, lr);
      return;
    }
    const { momentum, dampening, nesterov } = this.cfg;
    params.forEach((p, i) => {
      tf.tidy(() => {
        let g = grads[i]!;
        if (p.weightDecay !== 0) g = tf.add(g, tf.mul(p.variable, p.weightDecay));
        if (momentum !== 0) {
          const buf = this.slots.get(p.name, 'momentum_buffer');
          let b: Tensor;
          if (!buf) {
            b = this.slots.create(p.name, 'momentum_buffer', g);
          } else {
            b = tf.add(tf.mul(buf, momentum), dampening === 0 ? g : tf.mul(g, 1 - dampening));
            buf.assign(b);
          }
          g = nesterov ? tf.add(g, tf.mul(b, momentum)) : b;
        }
        this.slots.nextStep(p.name);
        p.variable.assign(tf.sub(p.variable, tf.mul(g, lr)));
      });
    });
  }

  /** The same update as one kernel per parameter, where the backend has it (wasm, torch). */
  private fusedUpdate(params: readonly ParamSpec[], grads: readonly Tensor[], lr: number): void {
    const { momentum, dampening, nesterov } = this.cfg;
    params.forEach((p, i) => {
      const buf = momentum !== 0 ? this.slots.get(p.name, 'momentum_buffer') : undefined;
      const inputs: tf.NamedTensorMap = { param: p.variable, grad: grads[i]! };
      if (buf) inputs.buf = buf;
      const attrs = { lr, momentum, dampening, nesterov, weightDecay: p.weightDecay };
      const [param, nextBuf] = tf.engine().runKernel(SGD_STEP, inputs, attrs as unknown as tf.NamedAttrMap) as Tensor[];
      if (nextBuf !== undefined) {
        if (buf) buf.assign(nextBuf);
        else this.slots.create(p.name, 'momentum_buffer', nextBuf);
        nextBuf.dispose();
      }
      this.slots.nextStep(p.name);
      p.variable.assign(param!);
      param!.dispose();
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

OPTIMIZERS.register('SGD', SGD, { schema: SGD_SCHEMA });
