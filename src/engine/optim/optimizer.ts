import type { Tensor, Variable } from '../../tf.js';

/** One trainable parameter as the optimizer sees it: its dotted name and its effective weight decay. */
export interface ParamSpec {
  name: string;
  variable: Variable;
  weightDecay: number;
}

/** A slot tensor (momentum buffer, Adam moments) as plain data, for checkpoints. */
export interface SlotData {
  shape: number[];
  values: Float32Array;
}

/** Everything an optimizer needs to continue exactly where it stopped. */
export interface OptimizerState {
  /** Per parameter name: named slot tensors. */
  slots: Record<string, Record<string, SlotData>>;
  /** Per parameter name: how many updates it received (Adam bias correction). */
  steps: Record<string, number>;
}

/**
 * An optimizer written on tf ops whose state (slots, step counts) is plain, inspectable data, so a
 * checkpoint restores it exactly. Parameters without a gradient this step are left untouched, as
 * PyTorch does for a parameter whose `.grad` is None (inactive supernet paths).
 */
export interface Optimizer {
  /** Base learning rate from the config (schedulers scale from it). */
  readonly baseLr: number;
  /** Weight decay from the config, before paramwise multipliers. */
  readonly weightDecay: number;
  /** Apply one update with learning rate `lr`; `grads[i]` belongs to `params[i]`. */
  update(params: readonly ParamSpec[], grads: readonly Tensor[], lr: number): void;
  getState(): OptimizerState;
  /** Restore slots saved by getState; `params` are this model's parameters (names and shapes are checked). */
  setState(state: OptimizerState, params: readonly ParamSpec[]): void;
  dispose(): void;
}

export class OptimizerStateError extends Error {
  override readonly name = 'OptimizerStateError';
  readonly isUserError = true;
}
