import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { Accuracy, labelRanks } from '../../src/evaluation/accuracy.js';
import { evaluateClassifier } from '../../src/evaluation/evaluator.js';
import { METRICS } from '../../src/registry/registries.js';
import { Module } from '../../src/models/module.js';
import type { Classifier } from '../../src/models/types.js';
import type { Batch } from '../../src/datasets/types.js';

beforeAll(async () => { await tf.setBackend('cpu'); });

class LinearClassifier extends Module implements Classifier {
  readonly numClasses = 4;
  readonly inputShape: [number, number, number] = [2, 2, 1];
  readonly w = this.registerParameter('w', tf.tensor2d([1, 0, 0, -1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], [4, 4]));
  modes: boolean[] = [];
  forward(x: tf.Tensor4D): tf.Tensor {
    this.modes.push(this.training);
    return tf.matMul(tf.reshape(x, [x.shape[0], 4]), this.w);
  }
}

describe('Accuracy', () => {
  it('counts top-k with ties broken by lower class index and NaN as wrong', () => {
    expect(METRICS.has('Accuracy')).toBe(true);
    const logits = tf.tensor2d([
      [0.1, 0.9, 0.5], // label 1: rank 0
      [0.1, 0.9, 0.5], // label 2: rank 1
      [0.2, 0.2, 0.2], // label 2: tie with lower indices -> rank 2
      [0.3, NaN, 0.1], // label 1: NaN -> wrong at every k
    ]);
    const labels = tf.tensor1d([1, 2, 2, 1], 'int32');
    expect([...labelRanks(logits, labels)]).toEqual([0, 1, 2, 3]);
    const acc = new Accuracy({ topk: [1, 2, 3] });
    acc.process(logits, labels);
    expect(acc.compute()).toEqual({ top1: 0.25, top2: 0.5, top3: 0.75 });
    tf.dispose([logits, labels]);
  });
});

describe('evaluateClassifier', () => {
  it('matches hand-counted accuracy, restores the mode and leaks no tensors', async () => {
    const model = new LinearClassifier();
    // Image pixels [a,b,c,d] -> logits [a, c, b+d... ] by w; build inputs whose argmax we know.
    const images = tf.tensor4d([[9, 0, 0, 0], [0, 0, 9, 0], [0, 0, 0, 9], [0, 9, 0, 0], [9, 0, 0, 0]].flat(), [5, 2, 2, 1]);
    const logits = tf.matMul(tf.reshape(images, [5, 4]), model.w);
    const argmax = [...(tf.argMax(logits, 1).dataSync() as Int32Array)];
    const labels = [argmax[0]!, argmax[1]!, (argmax[2]! + 1) % 4, argmax[3]!, (argmax[4]! + 2) % 4];
    const batches: Batch[] = [
      { images: tf.slice(images, [0, 0, 0, 0], [3, -1, -1, -1]), labels: tf.tensor1d(labels.slice(0, 3), 'int32') },
      { images: tf.slice(images, [3, 0, 0, 0], [2, -1, -1, -1]), labels: tf.tensor1d(labels.slice(3), 'int32') },
    ];
    tf.dispose([images, logits]);
    model.train();
    const before = tf.memory().numTensors;
    const res = await evaluateClassifier(model, batches, { topk: [1, 5] });
    expect(res.numSamples).toBe(5);
    expect(res.metrics.top1).toBeCloseTo(3 / 5, 10);
    expect(res.metrics.top5).toBe(1);
    expect(model.modes.every((m) => m === false)).toBe(true);
    expect(model.training).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    const again = await evaluateClassifier(model, batches, { topk: [1], maxSamples: 3 });
    expect(again.numSamples).toBe(3);
    expect(again.metrics.top1).toBeCloseTo(2 / 3, 10);
  });
});

describe('NllMeter and evaluateClassifier nll', () => {
  it('averages the cross-entropy of the true labels, by hand', async () => {
    const { NllMeter } = await import('../../src/evaluation/nll.js');
    const meter = new NllMeter();
    expect(meter.compute()).toBeNaN();
    meter.process(tf.tensor2d([[0, 0]]), tf.tensor1d([0], 'int32'));
    meter.process(tf.tensor2d([[1, 2, 3], [5, 5, 5]].flat(), [2, 3]) as tf.Tensor2D, tf.tensor1d([2, 1], 'int32'));
    const expected = (Math.log(2) + (Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3) + Math.log(3)) / 3;
    expect(meter.compute()).toBeCloseTo(expected, 6);
  });

  it('is reported as metrics.nll only when asked for', async () => {
    const model = new LinearClassifier();
    const batch: Batch = { images: tf.tensor4d([1, 0, 0, 0, 0, 0, 1, 0], [2, 2, 2, 1]), labels: tf.tensor1d([0, 3], 'int32') };
    const plain = await evaluateClassifier(model, [batch], { topk: [1] });
    expect(Object.keys(plain.metrics)).toEqual(['top1']);
    const withNll = await evaluateClassifier(model, [batch], { topk: [1], nll: true });
    const logits = tf.matMul(tf.reshape(batch.images, [2, 4]), model.w);
    const logp = tf.logSoftmax(logits).arraySync() as number[][];
    expect(withNll.metrics.nll).toBeCloseTo(-(logp[0]![0]! + logp[1]![3]!) / 2, 6);
  });
});
