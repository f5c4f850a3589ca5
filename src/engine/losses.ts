import type { Scalar } from '@tensorflow/tfjs';
import { tf, type Tensor } from '../tf.js';
import { LOSSES } from '../registry/registries.js';
import type { Loss } from './types.js';

export class LossInputError extends Error {
  override readonly name = 'LossInputError';
}

export interface CrossEntropyLossConfig {
  type?: string;
  label_smoothing: number;
  loss_weight: number;
}

/** Softmax cross-entropy with integer class labels and optional label smoothing, mean over the batch. */
export class CrossEntropyLoss implements Loss {
  readonly labelSmoothing: number;
  readonly lossWeight: number;

  constructor(cfg: Partial<CrossEntropyLossConfig> = {}) {
    this.labelSmoothing = cfg.label_smoothing ?? 0;
    this.lossWeight = cfg.loss_weight ?? 1;
  }

  forward(logits: Tensor, labels: Tensor): Scalar {
    if (logits.rank !== 2 || labels.rank !== 1 || logits.shape[0] !== labels.shape[0]) {
      throw new LossInputError(`CrossEntropyLoss expects logits [N, classes] and integer labels [N], got [${logits.shape}] and [${labels.shape}].`);
    }
    return tf.tidy(() => {
      const classes = logits.shape[1]!;
      const eps = this.labelSmoothing;
      const target = tf.add(tf.mul(tf.oneHot(tf.cast(labels, 'int32'), classes), 1 - eps), eps / classes);
      const perSample = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1));
      return tf.mul(tf.mean(perSample), this.lossWeight) as Scalar;
    });
  }
}

export interface KLDivergenceConfig {
  type?: string;
  temperature: number;
  loss_weight: number;
}

/**
 * Distillation loss KL(teacher || student) of temperature-softened distributions, scaled by T^2 and
 * averaged over the batch (Hinton et al.). The teacher logits must not carry gradient: pass a tensor
 * computed outside the current `accumulate` call (it is a constant to that gradient tape), or wrap
 * it in `stopGradient` when it is computed inside the same loss function.
 */
export class KLDivergence implements Loss {
  readonly temperature: number;
  readonly lossWeight: number;

  constructor(cfg: Partial<KLDivergenceConfig> = {}) {
    this.temperature = cfg.temperature ?? 1;
    this.lossWeight = cfg.loss_weight ?? 1;
  }

  forward(studentLogits: Tensor, teacherLogits: Tensor): Scalar {
    if (studentLogits.rank !== 2 || !tf.util.arraysEqual(studentLogits.shape, teacherLogits.shape)) {
      throw new LossInputError(`KLDivergence expects student and teacher logits of the same shape [N, classes], got [${studentLogits.shape}] and [${teacherLogits.shape}].`);
    }
    return tf.tidy(() => {
      const t = this.temperature;
      const logP = tf.logSoftmax(tf.div(teacherLogits, t));
      const logQ = tf.logSoftmax(tf.div(studentLogits, t));
      const kl = tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), 1);
      return tf.mul(tf.mean(kl), t * t * this.lossWeight) as Scalar;
    });
  }
}

/** Identity whose gradient is zero: detaches a tensor computed inside a gradient tape. */
const detach = (x: Tensor) => ({ value: tf.clone(x), gradFunc: (dy: Tensor) => tf.zerosLike(dy) });
export const stopGradient = tf.customGrad(detach as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: Tensor) => Tensor;

LOSSES.register('CrossEntropyLoss', CrossEntropyLoss, {
  schema: {
    type: 'object',
    properties: {
      label_smoothing: { description: 'Mass moved from the true class to a uniform distribution over all classes.', type: 'number', minimum: 0, maximum: 1, default: 0 },
      loss_weight: { description: 'Multiplier of the loss.', type: 'number', minimum: 0, default: 1 },
    },
    required: [],
    additionalProperties: false,
  },
});

LOSSES.register('KLDivergence', KLDivergence, {
  schema: {
    type: 'object',
    properties: {
      temperature: { description: 'Softmax temperature T of both distributions; the loss is scaled by T^2.', type: 'number', exclusiveMinimum: 0, default: 1 },
      loss_weight: { description: 'Multiplier of the loss.', type: 'number', minimum: 0, default: 1 },
    },
    required: [],
    additionalProperties: false,
  },
});
