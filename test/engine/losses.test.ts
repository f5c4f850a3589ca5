import { describe, expect, it } from 'vitest';
import type { Scalar } from '@tensorflow/tfjs';
import { tf } from '../../src/tf.js';
import { CrossEntropyLoss, KLDivergence, stopGradient } from '../../src/engine/losses.js';

const softmax = (row: number[]) => {
  const m = Math.max(...row);
  const e = row.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b);
  return e.map((x) => x / s);
};

describe('losses', () => {
  const logits = [[1, 2, 0.5], [0.1, -1, 3]];
  const labels = [1, 0];

  it('cross-entropy with label smoothing matches the formula', () => {
    const eps = 0.1;
    const expected =
      logits.reduce((acc, row, i) => {
        const p = softmax(row);
        return acc - p.reduce((a, pk, k) => a + ((k === labels[i] ? 1 - eps : 0) + eps / 3) * Math.log(pk), 0);
      }, 0) / 2;
    const got = new CrossEntropyLoss({ label_smoothing: eps }).forward(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'));
    expect(got.dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('KL divergence with temperature matches T^2 * KL(teacher || student)', () => {
    const teacher = [[0.5, 1, -1], [2, 0, 0]];
    const T = 2;
    const expected =
      (T * T *
        logits.reduce((acc, row, i) => {
          const p = softmax(teacher[i]!.map((x) => x / T));
          const q = softmax(row.map((x) => x / T));
          return acc + p.reduce((a, pk, k) => a + pk * Math.log(pk / q[k]!), 0);
        }, 0)) /
      2;
    const got = new KLDivergence({ temperature: T }).forward(tf.tensor2d(logits), tf.tensor2d(teacher));
    expect(got.dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('stopGradient passes the value and blocks the gradient', () => {
    const x = tf.variable(tf.tensor1d([1, 2]));
    const { grads } = tf.variableGrads(() => tf.sum(tf.add(tf.square(x), stopGradient(tf.square(x)))) as Scalar, [x]);
    expect(Array.from(grads[x.name]!.dataSync())).toEqual([2, 4]);
  });
});
