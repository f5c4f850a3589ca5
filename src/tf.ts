// The single import point for TensorFlow.js, so every module shares one engine and backend choice.
// The umbrella package brings tfjs-core, the cpu backend, all gradients and tfjs-layers (export).
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor4D = tf.Tensor4D;
export type Tensor2D = tf.Tensor2D;
export type Tensor1D = tf.Tensor1D;
export type Variable = tf.Variable;
