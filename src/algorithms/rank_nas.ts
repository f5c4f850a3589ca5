import type { Scalar } from '@tensorflow/tfjs';
import { tf, type Tensor } from '../tf.js';
import type { Supernet } from '../models/types.js';
import type { SubnetChoices } from '../mutables/types.js';
import type { Batch } from '../datasets/types.js';
import type { Loss } from '../engine/types.js';
import { ALGORITHMS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import type { TrainContext } from './types.js';
import type { SubnetSampler } from './samplers/types.js';
import {
  ARCHITECTURE_PROPERTY,
  SamplingAlgorithm,
  DEFAULT_DISTILL_LOSS,
  DEFAULT_LOSS,
  DEFAULT_SAMPLER,
  buildLoss,
  buildSampler,
  requireSupernet,
  type AlgorithmConfig,
} from './base.js';
import { DEFAULT_RANK_LOSS, RANK_LOSS_SCHEMA, RankPrior, pairwiseRankHinge, rankLossWeight, type RankLossConfig, type RankWarmup } from './rank_loss.js';

export interface RankNASConfig extends AlgorithmConfig {
  sampler?: TypedConfig;
  loss?: TypedConfig;
  distill_loss?: TypedConfig;
  sandwich?: boolean;
  num_random_samples?: number;
  rank_loss?: RankLossConfig;
}

/**
 * Supernet training with RD-NAS's prior-guided pairwise rank loss (the Track-1 3rd place). A step
 * first trains the base paths: with `sandwich` (the reference) the max subnet on the labels and the
 * min and `num_random_samples` random subnets distilled from it, as BigNAS does; without, one random
 * subnet on the labels, as SPOS does. Then, for each of `num_pairs` pairs of random subnets, both
 * are forwarded on the batch with the ground-truth loss and only `w(t) * hinge` is back-propagated
 * (the pair's own losses are not trained, as in the reference), where the hinge penalises the pair
 * when its losses order it against the prior and w(t) is the warm-up weight. One optimizer step sums
 * every gradient. While w(t) is 0 the pairs are skipped (their gradient would be 0).
 */
export class RankNAS extends SamplingAlgorithm {
  readonly supernet: Supernet;
  readonly sampler: SubnetSampler;
  readonly loss: Loss;
  readonly distillLoss: Loss;
  readonly sandwich: boolean;
  readonly numRandomSamples: number;
  readonly prior: RankPrior;
  readonly rank: Required<RankLossConfig> & RankWarmup;

  constructor(cfg: RankNASConfig) {
    super(cfg);
    this.supernet = requireSupernet(this.architecture, 'RankNAS', cfg.architecture.type);
    this.sampler = buildSampler(cfg.sampler, this.supernet);
    this.loss = buildLoss(cfg.loss, DEFAULT_LOSS);
    this.distillLoss = buildLoss(cfg.distill_loss, DEFAULT_DISTILL_LOSS);
    this.sandwich = cfg.sandwich ?? true;
    this.numRandomSamples = cfg.num_random_samples ?? 2;
    this.rank = { ...DEFAULT_RANK_LOSS, ...cfg.rank_loss } as Required<RankLossConfig> & RankWarmup;
    this.prior = new RankPrior(this.rank.prior);
  }

  private basePaths(batch: Batch, ctx: TrainContext): Record<string, number> {
    const { supernet, sampler } = this;
    if (!this.sandwich) {
      supernet.mutator.set(sampler.sample(supernet, ctx));
      return { loss_base: ctx.optim.accumulate(() => this.loss.forward(supernet.forward(batch.images), batch.labels)) };
    }
    let teacher: Tensor | undefined;
    try {
      supernet.mutator.set(sampler.max(supernet, ctx));
      const lossMax = ctx.optim.accumulate(() => {
        const logits = supernet.forward(batch.images);
        teacher?.dispose();
        teacher = tf.keep(logits.clone());
        return this.loss.forward(logits, batch.labels);
      });
      const target = teacher!;
      const distillPath = (choices: SubnetChoices): number => {
        supernet.mutator.set(choices);
        return ctx.optim.accumulate(() => this.distillLoss.forward(supernet.forward(batch.images), target));
      };
      const lossMin = distillPath(sampler.min(supernet, ctx));
      let lossRandom = 0;
      for (let i = 0; i < this.numRandomSamples; i++) lossRandom += distillPath(sampler.sample(supernet, ctx));
      return { loss_base: lossMax + lossMin + lossRandom, loss_max: lossMax };
    } finally {
      teacher?.dispose();
    }
  }

  trainStep(batch: Batch, ctx: TrainContext): Record<string, number> {
    const { supernet, sampler } = this;
    const logs = this.basePaths(batch, ctx);
    const weight = rankLossWeight(this.rank, ctx);
    let rankLoss = 0;
    let violations = 0;
    if (weight > 0) {
      for (let p = 0; p < this.rank.num_pairs; p++) {
        const a = sampler.sample(supernet, ctx);
        const b = sampler.sample(supernet, ctx);
        const pa = this.prior.score(supernet, a, batch);
        const pb = this.prior.score(supernet, b, batch);
        const hinge = ctx.optim.accumulate(() => {
          supernet.mutator.set(a);
          const la = this.loss.forward(supernet.forward(batch.images), batch.labels);
          supernet.mutator.set(b);
          const lb = this.loss.forward(supernet.forward(batch.images), batch.labels);
          return tf.mul(pairwiseRankHinge(pa, pb, la, lb, this.rank), weight) as Scalar;
        });
        rankLoss += hinge;
        if (hinge > 0) violations++;
      }
    }
    ctx.optim.step();
    return { loss: logs.loss_base! + rankLoss, ...logs, loss_rank: rankLoss, rank_weight: weight, rank_violations: violations };
  }

}

export const RANK_NAS_SCHEMA = {
  type: 'object',
  description: 'Supernet training with a prior-guided pairwise rank loss (RD-NAS), on sandwich or single-path base steps.',
  properties: {
    architecture: ARCHITECTURE_PROPERTY,
    sampler: { 'x-kind': 'samplers', default: DEFAULT_SAMPLER, description: 'Draws the random subnets (base paths and pairs).' },
    loss: { 'x-kind': 'losses', default: DEFAULT_LOSS, description: 'Ground-truth loss (max path, single path, and the pairs).' },
    distill_loss: { 'x-kind': 'losses', default: DEFAULT_DISTILL_LOSS, description: "Sandwich only: loss of the min and random paths against the max path's logits." },
    sandwich: { type: 'boolean', default: true, description: 'Base paths: the BigNAS sandwich (the reference) or one random subnet (SPOS).' },
    num_random_samples: { type: 'integer', minimum: 0, default: 2, description: 'Sandwich only: random distilled paths besides max and min.' },
    rank_loss: { ...RANK_LOSS_SCHEMA, default: DEFAULT_RANK_LOSS },
  },
  required: ['architecture'],
  additionalProperties: false,
};

ALGORITHMS.register('RankNAS', RankNAS, { schema: RANK_NAS_SCHEMA });
