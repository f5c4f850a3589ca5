import type { Scalar } from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import type { Supernet } from '../models/types.js';
import type { SubnetChoices } from '../mutables/types.js';
import { PROXIES } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import type { ProxyBatch, ZeroCostProxy } from '../proxies/types.js';
import { AlgorithmConfigError } from './errors.js';

/**
 * Which loss of a pair carries the gradient. `second`: the second subnet's loss only, the first
 * detached, as the RD-NAS Track-1 code does (`PairwiseRankLoss.forward`); `both`: both losses;
 * `better`: the expected-better subnet's loss only. Under `second`, a pair whose second subnet is
 * the expected-worse one is corrected by gradient ascent on that subnet's loss (in about half the
 * violated pairs), which also moves the weights it shares with every other subnet; `better` only
 * ever lowers a loss.
 */
export type RankGradient = 'second' | 'both' | 'better';

/**
 * Pairwise rank hinge of RD-NAS: the prior says which subnet of the pair should be better (a larger
 * prior score means a lower loss is expected); the penalty is relu(loss_expected_better -
 * loss_expected_worse + margin), zero when the losses already order the pair as the prior does
 * (by at least the margin). With equal priors the first subnet counts as the expected better one,
 * as in the reference (`prior1 < prior2` else branch).
 */
export function pairwiseRankHinge(prior1: number, prior2: number, loss1: Scalar, loss2: Scalar,
    options: { margin?: number; gradient?: RankGradient } = {}): Scalar {
  const margin = options.margin ?? 0;
  const gradient = options.gradient ?? 'second';
  // tfjs has no stop_gradient: a detached loss is a constant holding the same value.
  const detach = (l: Scalar): Scalar => tf.scalar(l.dataSync()[0]!);
  const l1 = gradient === 'second' ? detach(loss1) : loss1;
  const [better, worse] = prior1 < prior2 ? [loss2, l1] : [l1, loss2];
  return tf.relu(tf.add(tf.sub(better, gradient === 'better' ? detach(worse) : worse), margin)) as Scalar;
}

export interface RankWarmup {
  /** Largest weight of the rank loss (RD-NAS: 2). */
  weight: number;
  /** Epochs until the weight is reached (RD-NAS: 20, `min(2, epoch / 10)`). */
  warmup_epochs: number;
  /** true: the weight steps once per epoch (integer epochs, the reference); false: it grows every iteration. */
  stepwise: boolean;
}

/**
 * Weight of the rank loss at a point of training: `weight * min(1, e / warmup_epochs)` with e the
 * finished epochs (stepwise) or the fractional epoch `iter / itersPerEpoch`. RD-NAS's write-up found
 * the loss harmful at full weight from the start; the reference ramps it as `min(2, epoch / 10)`.
 */
export function rankLossWeight(w: RankWarmup, at: { epoch: number; iter: number; itersPerEpoch: number }): number {
  if (w.warmup_epochs <= 0) return w.weight;
  const e = w.stepwise ? at.epoch : at.iter / Math.max(1, at.itersPerEpoch);
  return w.weight * Math.min(1, e / w.warmup_epochs);
}

/** A prior over subnets: any registered zero-cost proxy (larger is better), cached per subnet when it reads no data. */
export class RankPrior {
  readonly proxy: ZeroCostProxy;
  private readonly cache = new Map<string, number>();

  constructor(cfg: TypedConfig) {
    this.proxy = PROXIES.build<ZeroCostProxy>(cfg);
  }

  score(supernet: Supernet, choices: SubnetChoices, batch: ProxyBatch): number {
    if (this.proxy.batchSize > 0) {
      if (batch.images.shape[0] < this.proxy.batchSize) {
        throw new AlgorithmConfigError(
          `The rank-loss prior ${this.proxy.name} reads ${this.proxy.batchSize} images but a training batch has ${batch.images.shape[0]}; lower its batch_size.`,
          'rank_loss',
          'prior',
        );
      }
      return this.proxy.score({ supernet, choices, batch }).score;
    }
    const key = JSON.stringify(Object.entries(choices).sort(([a], [b]) => (a < b ? -1 : 1)));
    let s = this.cache.get(key);
    if (s === undefined) {
      s = this.proxy.score({ supernet, choices }).score;
      this.cache.set(key, s);
    }
    return s;
  }
}

export interface RankLossConfig {
  prior?: TypedConfig;
  num_pairs?: number;
  weight?: number;
  warmup_epochs?: number;
  stepwise?: boolean;
  margin?: number;
  gradient?: RankGradient;
}

export const DEFAULT_RANK_LOSS = { prior: { type: 'MACs' }, num_pairs: 2, weight: 2, warmup_epochs: 20, stepwise: true, margin: 0, gradient: 'second' as RankGradient };

export const RANK_LOSS_SCHEMA = {
  type: 'object',
  description: 'Prior-guided pairwise rank loss (RD-NAS): pairs of random subnets whose losses the prior orders.',
  properties: {
    prior: { 'x-kind': 'proxies', default: DEFAULT_RANK_LOSS.prior, description: 'Any registered zero-cost proxy; larger score = expected better (lower loss).' },
    num_pairs: { type: 'integer', minimum: 1, default: DEFAULT_RANK_LOSS.num_pairs, description: 'Pairs of random subnets per step (RD-NAS: 2).' },
    weight: { type: 'number', minimum: 0, default: DEFAULT_RANK_LOSS.weight, description: 'Largest weight of the rank loss (RD-NAS: 2).' },
    warmup_epochs: { type: 'number', minimum: 0, default: DEFAULT_RANK_LOSS.warmup_epochs, description: 'Epochs over which the weight ramps linearly from 0 (RD-NAS: 20 of 70).' },
    stepwise: { type: 'boolean', default: DEFAULT_RANK_LOSS.stepwise, description: 'Ramp per finished epoch (RD-NAS) instead of per iteration.' },
    margin: { type: 'number', minimum: 0, default: DEFAULT_RANK_LOSS.margin, description: 'Hinge margin (RD-NAS: 0).' },
    gradient: { type: 'string', enum: ['second', 'both', 'better'], default: DEFAULT_RANK_LOSS.gradient, description: "'second': only the second subnet of a pair gets the gradient (RD-NAS code); 'both'; 'better': only the subnet the prior expects to be better (descent only)." },
  },
  additionalProperties: false,
};
