import type { Module } from '../../models/module.js';
import type { ParamSpec } from './optimizer.js';

export interface ParamwiseConfig {
  /** Multiplier of weight decay for normalisation layers' scale and shift (0 exempts them). */
  norm_decay_mult: number;
  /** Multiplier of weight decay for biases of other layers (0 exempts them). */
  bias_decay_mult: number;
}

const NORM_CLASS = /norm/i;
const NORM_PARAM = /^(gamma|beta)$/;
const BIAS_PARAM = /^(bias|b)$/;

/**
 * The trainable parameters of `model` with their effective weight decay. A parameter belongs to a
 * normalisation layer when its owning module's class name contains "Norm" or the parameter is
 * called gamma/beta; a bias is a parameter called `bias` of any other module.
 */
export function paramSpecs(model: Module, weightDecay: number, paramwise: Partial<ParamwiseConfig> = {}): ParamSpec[] {
  const modules = new Map(model.namedModules());
  return model
    .namedParameters()
    .filter(([, v]) => v.trainable)
    .map(([name, variable]) => {
      const dot = name.lastIndexOf('.');
      const owner = modules.get(dot < 0 ? '' : name.slice(0, dot));
      const leaf = name.slice(dot + 1);
      const isNorm = (owner !== undefined && NORM_CLASS.test(owner.constructor.name)) || NORM_PARAM.test(leaf);
      let mult = 1;
      if (isNorm) mult = paramwise.norm_decay_mult ?? 1;
      else if (BIAS_PARAM.test(leaf)) mult = paramwise.bias_decay_mult ?? 1;
      return { name, variable, weightDecay: weightDecay * mult };
    });
}
