import { tf, type Tensor, type Tensor1D } from '../tf.js';
import { METRICS } from '../registry/registries.js';

export interface AccuracyConfig {
  type?: string;
  /** The k of each top-k accuracy to report (keys `top1`, `top5`, ...). */
  topk: number[];
}

export const ACCURACY_SCHEMA = {
  type: 'object',
  properties: {
    topk: {
      description: 'Report top-k accuracy for each k (a prediction is right when the label is among the k largest logits).',
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      minItems: 1,
      default: [1, 5],
    },
  },
  required: [],
  additionalProperties: false,
};

export class MetricInputError extends Error {
  override readonly name = 'MetricInputError';
}

/**
 * Top-k classification accuracy accumulated over batches, as fractions in [0, 1]. The rank of the
 * label is counted with ties broken by lower class index (tf.topk's order), and a NaN logit for the
 * label counts as wrong, so a degenerate subnet (all-equal or NaN logits) cannot look accurate.
 */
export class Accuracy {
  readonly topk: number[];
  private correct: number[];
  private total = 0;

  constructor(cfg: Partial<AccuracyConfig> = {}) {
    this.topk = [...(cfg.topk ?? [1, 5])];
    this.correct = this.topk.map(() => 0);
  }

  reset(): void {
    this.correct = this.topk.map(() => 0);
    this.total = 0;
  }

  /** Add one batch: logits [N, classes], int labels [N]. Neither is disposed here. */
  process(logits: Tensor, labels: Tensor1D): void {
    if (logits.rank !== 2 || labels.rank !== 1 || logits.shape[0] !== labels.shape[0]) {
      throw new MetricInputError(
        `Accuracy expects logits [N, classes] and labels [N], got [${logits.shape}] and [${labels.shape}].`,
      );
    }
    const ranks = labelRanks(logits as tf.Tensor2D, labels);
    for (const r of ranks) {
      this.topk.forEach((k, i) => {
        if (r < k) this.correct[i]! += 1;
      });
    }
    this.total += ranks.length;
  }

  /** `{top1: .., top5: ..}` over everything processed since the last reset. */
  compute(): Record<string, number> {
    if (this.total === 0) throw new MetricInputError('Accuracy.compute(): no samples were processed.');
    return Object.fromEntries(this.topk.map((k, i) => [`top${k}`, this.correct[i]! / this.total]));
  }

  get numSamples(): number {
    return this.total;
  }
}

/** 0-based rank of each label among its row's logits (0 = the argmax). */
export function labelRanks(logits: tf.Tensor2D, labels: Tensor1D): Int32Array {
  const ranks = tf.tidy(() => {
    const [n, classes] = logits.shape;
    const lab = tf.cast(labels, 'int32');
    // Flat gather: gather with batchDims crashes the WASM backend (tfjs 4.22).
    const flatIndex = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(classes, 'int32')), lab);
    const labelLogit = tf.reshape(tf.gather(tf.reshape(logits, [-1]), flatIndex), [n, 1]);
    const classIndex = tf.reshape(tf.range(0, classes, 1, 'int32'), [1, classes]);
    const before = tf.logicalOr(
      tf.greater(logits, labelLogit),
      tf.logicalAnd(tf.equal(logits, labelLogit), tf.less(classIndex, tf.reshape(lab, [n, 1]))),
    );
    const rank = tf.sum(tf.cast(before, 'int32'), 1);
    return tf.where(tf.isNaN(tf.reshape(labelLogit, [n])), tf.fill([n], classes, 'int32'), rank);
  });
  const out = ranks.dataSync() as Int32Array;
  ranks.dispose();
  return out;
}

METRICS.register('Accuracy', Accuracy, { schema: ACCURACY_SCHEMA });
