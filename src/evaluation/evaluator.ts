import { tf } from '../tf.js';
import type { Classifier } from '../models/types.js';
import { Accuracy } from './accuracy.js';
import { iterateBatches, releaseBatch, type BatchSource } from './batches.js';
import { NllMeter } from './nll.js';

export interface EvaluateOptions {
  topk?: number[];
  /** Stop after this many samples (whole batches; a loader's later batches are not read). */
  maxSamples?: number;
  /** Also report `nll`, the mean cross-entropy of the true labels in nats. */
  nll?: boolean;
}

export interface EvaluationResult {
  /** `top1`, `top5`, ... as fractions in [0, 1]; `nll` (nats) when asked for. */
  metrics: Record<string, number>;
  numSamples: number;
}

/**
 * Top-k accuracy of a classifier in eval mode over a batch source. Each forward runs in tf.tidy and
 * the previous train/eval mode is restored, so evaluating leaves no tensors and no mode change.
 */
export async function evaluateClassifier(
  model: Classifier,
  source: BatchSource,
  { topk = [1, 5], maxSamples = Infinity, nll = false }: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const metric = new Accuracy({ topk: topk.map((k) => Math.min(k, model.numClasses)) });
  const nllMeter = nll ? new NllMeter() : undefined;
  const wasTraining = model.training;
  model.eval();
  try {
    for await (const item of iterateBatches(source, maxSamples)) {
      try {
        const logits = tf.tidy(() => model.forward(item.batch.images));
        try {
          metric.process(logits, item.batch.labels);
          nllMeter?.process(logits as tf.Tensor2D, item.batch.labels);
        } finally {
          logits.dispose();
        }
      } finally {
        releaseBatch(item);
      }
    }
  } finally {
    model.train(wasTraining);
  }
  const clamped = metric.compute();
  // Report under the k the caller asked for even when it was clamped to the number of classes.
  const metrics: Record<string, number> = Object.fromEntries(topk.map((k) => [`top${k}`, clamped[`top${Math.min(k, model.numClasses)}`]!]));
  if (nllMeter) metrics.nll = nllMeter.compute();
  return { metrics, numSamples: metric.numSamples };
}
