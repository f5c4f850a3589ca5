import { tf, type Tensor, type Tensor1D, type Tensor4D } from '../tf.js';
import { ADD_RELU, RELU_GRAD } from './torch/add_relu_kernels.js';
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

/**
 * relu(a + b) for a and b of one shape (a residual join): one kernel forward and one backward
 * where the engine has them, core ops otherwise.
 */
export function addRelu(a: Tensor4D, b: Tensor4D): Tensor4D {
  if (tf.getKernel(ADD_RELU, tf.getBackend()) === undefined || a.shape.join() !== b.shape.join()) {
    return tf.relu(tf.add(a, b)) as Tensor4D;
  }
  return nativeAddRelu(a, b) as Tensor4D;
}

const nativeAddRelu = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [Tensor, Tensor, tf.GradSaveFunc];
  const y = tf.engine().runKernel(ADD_RELU, { a, b }) as Tensor;
  save([y]);
  return {
    value: y,
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const g = tf.engine().runKernel(RELU_GRAD, { dy, y: saved[0]! }) as Tensor;
      // Both inputs get the same gradient; a clone shares its buffer, so this costs no copy.
      return [g, tf.clone(g)];
    },
  };
});
