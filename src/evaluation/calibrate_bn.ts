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
 * the average over the calibration batches of each batch's mean and variance, weighted by the
 * batch's sample count (train-mode forward, no gradients), so a short last batch counts for its
 * samples only. mmrazor (CalibrateBNMixin) and OFA (set_running_statistics) weight the same way.
 *
 * Variance: each batch contributes its unbiased variance (m/(m-1) times the biased one, m = N*H*W),
 * as mmrazor's hook does (`var(unbiased=True)`) and as the training updates do; OFA averages biased
 * ones (mean squared deviation). The two differ by a relative 1/(m-1), 8e-5 for 256 images at 7x7.
 *
 * Entries beyond the active width and layers the subnet skips keep their previous statistics, so
 * calibrating one subnet never disturbs another. The layers' momentum, counters and the model's
 * train/eval mode are restored. Reads exactly `numSamples` samples (the last batch cut to fit, as
 * mmrazor does) or the whole source if it has fewer.
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
    for (const bn of layers) bn.resetRunningStats();
    model.train();
    for await (const item of iterateBatches(source, numSamples)) {
      try {
        const images = item.batch.images;
        const n = Math.min(images.shape[0], numSamples - seen);
        if (n <= 0) continue;
        seen += n;
        // A BN layer blends a batch in with weight `momentum`; n / seen makes the running value the
        // sample-weighted average of all batches so far (the first batch, weight 1, replaces the reset).
        for (const bn of layers) bn.momentum = n / seen;
        tf.tidy(() => {
          model.forward(n < images.shape[0] ? tf.slice(images, 0, n) : images);
        });
      } finally {
        releaseBatch(item);
      }
      numBatches++;
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
