import { tf, type Tensor, type Tensor1D, type Tensor4D } from '../tf.js';
import { BATCH_NORM_GRAD, BATCH_NORM_TRAIN } from './torch/batch_norm_kernels.js';

// Ops that an engine may serve as single kernels (the torch engine does); models check for them
// and otherwise compose the same maths from core ops.

/** Whether the active backend has the one-call train-mode batch norm. */
export function hasNativeBatchNorm(): boolean {
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
}

/** Train-mode batch norm over the channels of NHWC x: [y, batch mean, biased batch variance]. */
export function nativeBatchNormTrain(x: Tensor4D, gamma: Tensor1D, beta: Tensor1D,
    eps: number): [Tensor4D, Tensor1D, Tensor1D] {
  return tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta },
    { varianceEpsilon: eps }) as unknown as [Tensor4D, Tensor1D, Tensor1D];
}

/** dx, dgamma, dbeta of nativeBatchNormTrain from the saved input and batch statistics. */
export function nativeBatchNormGrad(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, variance: Tensor,
    eps: number): [Tensor4D, Tensor1D, Tensor1D] {
  return tf.engine().runKernel(BATCH_NORM_GRAD, { dy, x, gamma, mean, variance },
    { varianceEpsilon: eps }) as unknown as [Tensor4D, Tensor1D, Tensor1D];
}
