import { tf, type Tensor4D } from '../tf.js';
import { PROXIES } from '../registry/registries.js';
import { Rng } from '../services/rng.js';
import { NetworkProxy, networkProxySchema, type NetworkProxyConfig } from './base.js';
import { forwardGraph } from './forward.js';
import type { ProxyGraph } from './graph.js';
import type { ProxyParams } from './params.js';
import type { ProxyInput } from './types.js';

export interface ZenScoreConfig extends NetworkProxyConfig {
  /** Size of the input perturbation (Zen-NAS's `mixup_gamma`). */
  mixup_gamma: number;
  /** Draws of (weights, inputs) averaged (Zen-NAS's `repeat`). */
  repeat: number;
  /** Which BN variance enters the score: 'running' as the reference code reads it, 'batch' as the paper writes it. */
  bn_variance: 'running' | 'batch';
}

const DEFAULTS: ZenScoreConfig = { seed: 0, batch_size: 16, init: 'gaussian', mixup_gamma: 1e-2, repeat: 1, bn_variance: 'running' };

/** PyTorch's default BN momentum, which Zen-NAS's networks use when the score reads `running_var`. */
const TORCH_BN_MOMENTUM = 0.1;

/**
 * Zen-score (Lin et al., ICCV 2021) as Zen-NAS's `compute_zen_score.py` computes it: the network
 * without residual links (`no_reslink=True`), every conv and linear weight N(0, 1), BN in train
 * mode; a Gaussian input x and x' = x + gamma * eps; Delta = batch mean of sum |f(x) - f(x')| over
 * the feature map before global pooling; score = log Delta + sum over BN layers of
 * log sqrt(mean over channels of running_var). With 'running' that running_var is what PyTorch
 * holds after the two train-mode forwards from its initial 1 (momentum 0.1, unbiased batch
 * variances): 0.81 + 0.09 v(x) + 0.1 v(x'); 'batch' uses the biased batch variance of f(x).
 * Each repeat starts from fresh BN statistics (the reference reuses them across repeats; its
 * search uses repeat = 1, where both agree).
 */
export class ZenScore extends NetworkProxy<ZenScoreConfig> {
  readonly name = 'ZenScore';

  constructor(cfg: Partial<ZenScoreConfig> = {}) {
    super(cfg, DEFAULTS);
  }

  protected override get usesData(): boolean {
    return false;
  }

  protected compute(graph: ProxyGraph): number {
    const rng = new Rng(this.cfg.seed);
    let total = 0;
    for (let r = 0; r < this.cfg.repeat; r++) {
      const weightSeed = rng.int(2 ** 31);
      const inputSeed = rng.int(2 ** 31);
      const noiseSeed = rng.int(2 ** 31);
      total += this.withParams(graph, (params) => this.once(graph, params, inputSeed, noiseSeed), weightSeed);
    }
    return total / this.cfg.repeat;
  }

  private once(graph: ProxyGraph, params: ProxyParams, inputSeed: number, noiseSeed: number): number {
    const [h, w, c] = graph.inputShape;
    const shape: [number, number, number, number] = [this.cfg.batch_size, h, w, c];
    const x = tf.randomNormal(shape, 0, 1, 'float32', inputSeed) as Tensor4D;
    const noise = tf.randomNormal(shape, 0, 1, 'float32', noiseSeed) as Tensor4D;
    try {
      return zenScoreOf(graph, params, x, noise, this.cfg.mixup_gamma, this.cfg.bn_variance);
    } finally {
      tf.dispose([x, noise]);
    }
  }
}

/** Zen-score of a network with these weights for input x and perturbation x + gamma * noise (see ZenScore). */
export function zenScoreOf(graph: ProxyGraph, params: ProxyParams, x: Tensor4D, noise: Tensor4D, gamma: number,
    bnVariance: 'running' | 'batch'): number {
  const w = Object.fromEntries(params);
  // Per forward, per BN layer: mean over channels of the unbiased and the biased batch variance.
  const unbiased: number[][] = [[], []];
  const biased: number[][] = [[], []];
  const delta = tf.tidy(() => {
    const mixed = tf.add(x, tf.mul(noise, gamma)) as Tensor4D;
    const features = [x, mixed].map((input, k) =>
      forwardGraph(graph, w, input, {
        bn: 'batch', residual: false, until: 'features',
        hooks: {
          bn: (_name, _mean, variance, count) => {
            const v = tf.mean(variance).dataSync()[0]!;
            biased[k]!.push(v);
            unbiased[k]!.push(count > 1 ? (v * count) / (count - 1) : v);
          },
        },
      }).y,
    );
    return tf.mean(tf.sum(tf.abs(tf.sub(features[0]!, features[1]!)), [1, 2, 3])).dataSync()[0]!;
  });
  const m = TORCH_BN_MOMENTUM;
  let bnTerm = 0;
  for (let i = 0; i < unbiased[0]!.length; i++) {
    const variance = bnVariance === 'running'
      ? (1 - m) * (1 - m) + (1 - m) * m * unbiased[0]![i]! + m * unbiased[1]![i]!
      : biased[0]![i]!;
    bnTerm += 0.5 * Math.log(variance);
  }
  return Math.log(delta) + bnTerm;
}

PROXIES.register('ZenScore', ZenScore, {
  schema: networkProxySchema(DEFAULTS, {
    mixup_gamma: { type: 'number', exclusiveMinimum: 0, default: DEFAULTS.mixup_gamma, description: 'Relative size of the input perturbation.' },
    repeat: { type: 'integer', minimum: 1, default: DEFAULTS.repeat, description: 'Draws of weights and inputs averaged.' },
    bn_variance: {
      type: 'string', enum: ['running', 'batch'], default: DEFAULTS.bn_variance,
      description: "'running': running_var after the two forwards, as Zen-NAS's code reads it; 'batch': the batch variance, as its paper writes it.",
    },
  }),
});
