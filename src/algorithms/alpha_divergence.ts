import type { Scalar } from '@tensorflow/tfjs';
import { tf, type Tensor } from '../tf.js';
import type { Loss } from '../engine/types.js';
import { stopGradient } from '../engine/losses.js';
import { LOSSES } from '../registry/registries.js';

export interface AlphaDivergenceConfig {
  alpha_min?: number;
  alpha_max?: number;
  iw_clip?: number;
  loss_weight?: number;
}

/**
 * One alpha-divergence D_alpha(p || q) of AlphaNet (Wang et al., ICML 2021) between teacher p and
 * student q, per sample: its value and a surrogate whose gradient (through log q only, the
 * probabilities and importance ratios p / q held constant) is the divergence's gradient, with the
 * importance weights clipped at `iwClip` (the reference's `f_divergence`).
 */
export function alphaDivergence(student: Tensor, teacher: Tensor, alpha: number, iwClip: number): { value: Tensor; surrogate: Tensor } {
  const q = tf.softmax(stopGradient(student));
  const p = tf.softmax(stopGradient(teacher));
  const logQ = tf.logSoftmax(student);
  let ratio = tf.div(p, q);
  let f: Tensor;
  let fBase = 0;
  let rho: Tensor;
  if (Math.abs(alpha) < 1e-3) {
    ratio = tf.clipByValue(ratio, 0, iwClip);
    f = tf.neg(tf.log(ratio));
    rho = tf.sub(tf.log(ratio), 1);
  } else if (Math.abs(alpha - 1) < 1e-3) {
    f = tf.mul(ratio, tf.log(ratio));
    rho = ratio;
  } else {
    const iw = tf.clipByValue(tf.pow(ratio, alpha), 0, iwClip);
    f = tf.div(iw, alpha * (alpha - 1));
    fBase = 1 / (alpha * (alpha - 1));
    rho = tf.add(tf.div(iw, alpha), fBase);
  }
  return { value: tf.sum(tf.mul(q, tf.sub(f, fBase)), 1), surrogate: tf.neg(tf.sum(tf.mul(tf.mul(q, rho), logQ), 1)) };
}

/**
 * AlphaNet's adaptive distillation loss (`AdaptiveLossSoft`): per sample the larger of
 * D_alpha_min and D_alpha_max, back-propagated through its surrogate, averaged over the batch; a
 * drop-in `distill_loss` (student logits, teacher logits). The value returned is the surrogate's
 * mean, as the reference returns it (its gradient is the divergence's; its value is not).
 */
export class AlphaDivergence implements Loss {
  readonly alphaMin: number;
  readonly alphaMax: number;
  readonly iwClip: number;
  readonly lossWeight: number;

  constructor(cfg: AlphaDivergenceConfig = {}) {
    this.alphaMin = cfg.alpha_min ?? -1;
    this.alphaMax = cfg.alpha_max ?? 1;
    this.iwClip = cfg.iw_clip ?? 3;
    this.lossWeight = cfg.loss_weight ?? 1;
  }

  forward(student: Tensor, teacher: Tensor): Scalar {
    return tf.tidy(() => {
      const left = alphaDivergence(student, teacher, this.alphaMin, this.iwClip);
      const right = alphaDivergence(student, teacher, this.alphaMax, this.iwClip);
      // A constant mask (Greater has no gradient; the choice is not differentiated in the reference either).
      const l = left.value.dataSync();
      const r = right.value.dataSync();
      const pickLeft = tf.tensor1d(Array.from(l, (v, i) => (v > r[i]! ? 1 : 0)));
      const loss = tf.add(tf.mul(pickLeft, left.surrogate), tf.mul(tf.sub(1, pickLeft), right.surrogate));
      return tf.mul(tf.mean(loss), this.lossWeight) as Scalar;
    });
  }
}

LOSSES.register('AlphaDivergence', AlphaDivergence, {
  schema: {
    type: 'object',
    description: "AlphaNet's adaptive alpha-divergence distillation loss (student logits vs teacher logits).",
    properties: {
      alpha_min: { type: 'number', default: -1, description: 'Negative alpha (penalises an over-confident student).' },
      alpha_max: { type: 'number', default: 1, description: 'Positive alpha (alpha = 1 is KL(p || q)).' },
      iw_clip: { type: 'number', exclusiveMinimum: 0, default: 3, description: 'Clip of the importance weights (p / q)^alpha.' },
      loss_weight: { type: 'number', minimum: 0, default: 1, description: 'Multiplier of the loss.' },
    },
    additionalProperties: false,
  },
});
