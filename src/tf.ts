// The single import point for TensorFlow.js, so every module shares one engine and backend choice.
// The umbrella package brings tfjs-core, the cpu backend, all gradients and tfjs-layers (export).
import * as tf from '@tensorflow/tfjs';

// tfjs's cpu backend prints an "install our node backend" banner on its first tensor in Node (34
// times in npm test, once per tool start), beside tfrazor's own line naming the engine it chose
// and why (src/backend). Re-register the cpu backend, same factory and priority, marked as used.
const cpuFactory = tf.findBackendFactory('cpu');
if (cpuFactory) {
  tf.removeBackend('cpu');
  tf.registerBackend('cpu', () => Object.assign(cpuFactory() as tf.KernelBackend, { firstUse: false }), 1);
}

export { tf };
export type Tensor = tf.Tensor;
export type Tensor4D = tf.Tensor4D;
export type Tensor2D = tf.Tensor2D;
export type Tensor1D = tf.Tensor1D;
export type Variable = tf.Variable;
