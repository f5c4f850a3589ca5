import { UserError } from '../errors.js';
import { tf, type Tensor } from '../tf.js';
import type { Module } from '../models/module.js';
import { batchNormLayers, type DynamicBatchNorm2d } from '../models/ops/dynamic_batchnorm2d.js';
import { iterateBatches, releaseBatch, type BatchSource } from './batches.js';

/** A model whose forward takes NHWC images (a Classifier or any Module with forward). */
export interface ForwardModule extends Module {
  forward(x: tf.Tensor4D): Tensor;
}

export interface CalibrationSummary {
  numSamples: number;
  numBatches: number;
  /** BN layers the subnet ran through and that now hold re-computed statistics. */
  calibratedLayers: number;
}

export class CalibrationError extends UserError {
  override readonly name = 'CalibrationError';
}

/**
 * Re-calibrate the batch-norm statistics of the model's active subnet (mmrazor's Calib-BN): the
 * running mean and variance of every BN layer the subnet runs through are reset and recomputed as
 * the plain average, over all calibration batches, of each batch's mean and variance (train-mode
 * forward with cumulative momentum, no gradients). Every batch weighs the same; a shorter last
 * batch counts as a whole one.
 *
 * Variance: each batch contributes its unbiased variance (PyTorch's running_var convention with
 * momentum=None, the same as the training updates), i.e. the biased one times m/(m-1) with
 * m = N*H*W; mmrazor's hook averages biased ones. The two differ by a relative 1/(m-1), 8e-5 for a
 * batch of 256 at 7x7.
 *
 * Entries beyond the active width and layers the subnet skips keep their previous statistics, so
 * calibrating one subnet never disturbs another. The layers' momentum, counters and the model's
 * train/eval mode are restored. Reads batches until `numSamples` (whole batches) or the end.
 */
export async function calibrateBatchNorm(
  model: ForwardModule,
  source: BatchSource,
  numSamples = Infinity,
): Promise<CalibrationSummary> {
  const layers = batchNormLayers(model);
  const saved = layers.map((bn) => ({
    momentum: bn.momentum,
    tracked: bn.numBatchesTracked,
    mean: bn.runningMean ? tf.clone(bn.runningMean) : undefined,
    variance: bn.runningVar ? tf.clone(bn.runningVar) : undefined,
  }));
  const wasTraining = model.training;
  let numBatches = 0;
  let seen = 0;
  try {
    for (const bn of layers) {
      bn.momentum = null;
      bn.resetRunningStats();
    }
    model.train();
    for await (const item of iterateBatches(source, numSamples)) {
      try {
        tf.tidy(() => {
          model.forward(item.batch.images);
        });
      } finally {
        releaseBatch(item);
      }
      numBatches++;
      seen += item.batch.labels.shape[0];
    }
    if (numBatches === 0) throw new CalibrationError('calibrateBatchNorm: the calibration source yielded no batch.');
  } catch (e) {
    layers.forEach((bn, i) => restoreStats(bn, saved[i]!, 0));
    throw e;
  } finally {
    model.train(wasTraining);
    layers.forEach((bn, i) => {
      bn.momentum = saved[i]!.momentum;
    });
  }
  let calibrated = 0;
  layers.forEach((bn, i) => {
    const ran = bn.numBatchesTracked > 0;
    if (ran) calibrated++;
    restoreStats(bn, saved[i]!, ran ? bn.channels.currentChannels : 0);
    bn.numBatchesTracked = saved[i]!.tracked;
  });
  return { numSamples: seen, numBatches, calibratedLayers: calibrated };
}

/** Put back the saved statistics from entry `keep` on (keep = 0: all of them), then free the copies. */
function restoreStats(
  bn: DynamicBatchNorm2d,
  saved: { mean?: Tensor; variance?: Tensor },
  keep: number,
): void {
  const pairs: [tf.Variable | undefined, Tensor | undefined][] = [
    [bn.runningMean, saved.mean],
    [bn.runningVar, saved.variance],
  ];
  for (const [running, old] of pairs) {
    if (!running || !old || old.isDisposed) continue;
    const total = running.shape[0]!;
    if (keep < total) {
      tf.tidy(() => {
        running.assign(keep === 0 ? old : tf.concat([tf.slice(running, 0, keep), tf.slice(old, keep)]));
      });
    }
    old.dispose();
  }
}
