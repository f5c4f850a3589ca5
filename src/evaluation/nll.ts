import { tf } from '../tf.js';

/**
 * Running mean negative log-likelihood (cross-entropy) of the true labels, accumulated in float64.
 * A continuous score: on a small validation set it separates subnets whose top-1 accuracies differ
 * by less than the sampling noise of the accuracy.
 */
export class NllMeter {
  private sum = 0;
  private count = 0;

  process(logits: tf.Tensor2D, labels: tf.Tensor1D): void {
    const perSample = tf.tidy(() => {
      const logp = tf.logSoftmax(logits);
      return tf.neg(tf.sum(tf.mul(logp, tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1])), 1));
    });
    for (const v of perSample.dataSync()) this.sum += v;
    this.count += logits.shape[0];
    perSample.dispose();
  }

  /** Mean NLL in nats; NaN before any sample. */
  compute(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }
}
