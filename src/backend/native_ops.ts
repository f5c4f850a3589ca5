import { tf, type Tensor, type Tensor1D, type Tensor4D } from '../tf.js';
import { BATCH_NORM_GRAD, BATCH_NORM_TRAIN, type BatchNormActivation } from './torch/batch_norm_kernels.js';

export type { BatchNormActivation };

// Ops that an engine may serve as single kernels (the torch engine does); models check for them
// and otherwise compose the same maths from core ops.

/** Whether the active backend has the one-call train-mode batch norm. */
export function hasNativeBatchNorm(): boolean {
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
}

/**
 * Train-mode batch norm over the channels of NHWC x, then `activation`:
 * [y, batch mean, biased batch variance].
 */
export function nativeBatchNormTrain(x: Tensor4D, gamma: Tensor1D, beta: Tensor1D, eps: number,
    activation: BatchNormActivation = 'linear'): [Tensor4D, Tensor1D, Tensor1D] {
  return tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta },
    { varianceEpsilon: eps, activation }) as unknown as [Tensor4D, Tensor1D, Tensor1D];
}

/** dx, dgamma, dbeta of nativeBatchNormTrain from its input, batch statistics and (with an activation) output. */
export function nativeBatchNormGrad(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, variance: Tensor,
    eps: number, activation: BatchNormActivation = 'linear', y?: Tensor): [Tensor4D, Tensor1D, Tensor1D] {
  const inputs: tf.NamedTensorMap = { dy, x, gamma, mean, variance };
  if (y !== undefined) inputs.y = y;
  return tf.engine().runKernel(BATCH_NORM_GRAD, inputs,
    { varianceEpsilon: eps, activation }) as unknown as [Tensor4D, Tensor1D, Tensor1D];
}
