import { tf } from '../../../src/tf.js';
import { seededValues } from './reference_conv.js';

/** Parameter shapes of a small conv + batch-norm net on [N, 9, 9, 2] inputs with 3 classes. */
export const TINY_NET_SHAPES: Record<string, number[]> = {
  conv1: [3, 3, 2, 6], gamma1: [6], beta1: [6],
  conv2: [3, 3, 6, 8], gamma2: [8], beta2: [8],
  conv3: [1, 1, 8, 8], gamma3: [8], beta3: [8],
  dense: [8, 3], bias: [3],
};

export function tinyNetParams(seed: number): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [i, [name, shape]] of Object.entries(TINY_NET_SHAPES).entries()) {
    const values = seededValues(shape.reduce((a, b) => a * b, 1), seed + i);
    const scale = name.startsWith('gamma') ? 0.2 : 0.5;
    out[name] = Float32Array.from(values, (v) => (name.startsWith('gamma') ? 1 + scale * v : scale * v));
  }
  return out;
}

function batchNormRelu(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.relu(tf.batchNorm(x, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-5)) as tf.Tensor4D;
}

/** Cross-entropy of the net: conv-BN-relu, strided conv-BN-relu, 1x1 conv-BN-relu, GAP, linear. */
export function tinyNetLoss(p: Record<string, tf.Tensor>, x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  let h = batchNormRelu(tf.conv2d(x, p.conv1 as tf.Tensor4D, 1, 'same'), p.gamma1, p.beta1);
  h = batchNormRelu(tf.conv2d(h, p.conv2 as tf.Tensor4D, 2, 'same'), p.gamma2, p.beta2);
  h = batchNormRelu(tf.conv2d(h, p.conv3 as tf.Tensor4D, 1, 'valid'), p.gamma3, p.beta3);
  const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
  const logits = tf.add(tf.matMul(pooled, p.dense as tf.Tensor2D), p.bias);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

export function tinyBatch(n: number, seed: number): { x: tf.Tensor4D; labels: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(seededValues(n * 9 * 9 * 2, seed)), [n, 9, 9, 2]);
    const labels = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32'), 3);
    return { x, labels: tf.cast(labels, 'float32') as tf.Tensor2D };
  });
}
