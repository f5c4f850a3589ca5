import type { Scalar, Tensor } from '@tensorflow/tfjs';

/**
 * Owns the optimizer and gradient clipping for one model. Algorithms call `accumulate` once per
 * path (BigNAS: four paths) and `step` once per iteration; gradients of all paths are summed.
 */
export interface OptimWrapper {
  /** Gradients of `lossFn` w.r.t. all trainable parameters, added to the accumulator; returns the loss value. */
  accumulate(lossFn: () => Scalar): number;
  /** Clip (if configured) and apply the accumulated gradients, then clear them. */
  step(): void;
  /** Current learning rate (after schedulers). */
  readonly lr: number;
}

/** A registered loss: cross-entropy compares with labels, distillation losses with teacher logits. */
export interface Loss {
  forward(logits: Tensor, target: Tensor): Scalar;
}
