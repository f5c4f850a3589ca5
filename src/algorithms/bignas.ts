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

export interface BigNASConfig extends AlgorithmConfig {
  sampler?: TypedConfig;
  loss?: TypedConfig;
  distill_loss?: TypedConfig;
  num_random_samples?: number;
  step_per_path?: boolean;
}

export const DEFAULT_NUM_RANDOM_SAMPLES = 2;

/**
 * BigNAS sandwich rule with in-place distillation. Per step: the max subnet learns from the
 * labels; the min subnet and `num_random_samples` random subnets learn from the max subnet's
 * logits (detached: captured from the max path's forward and used as constants afterwards).
 * Gradients of all paths are accumulated, then one optimizer step is taken; with `step_per_path`
 * every path takes its own optimizer step, as mmrazor's BigNAS does (`update_params` per path with
 * the default `accumulative_counts: 1`), the later paths distilling from the max path's logits
 * recorded before the first step.
 */
export class BigNAS extends SamplingAlgorithm {
  readonly supernet: Supernet;
  readonly sampler: SubnetSampler;
  readonly loss: Loss;
  readonly distillLoss: Loss;
  readonly numRandomSamples: number;
  readonly stepPerPath: boolean;

  constructor(cfg: BigNASConfig) {
    super(cfg);
    this.supernet = requireSupernet(this.architecture, 'BigNAS', cfg.architecture.type);
    this.sampler = buildSampler(cfg.sampler, this.supernet);
    this.loss = buildLoss(cfg.loss, DEFAULT_LOSS);
    this.distillLoss = buildLoss(cfg.distill_loss, DEFAULT_DISTILL_LOSS);
    this.numRandomSamples = cfg.num_random_samples ?? DEFAULT_NUM_RANDOM_SAMPLES;
    this.stepPerPath = cfg.step_per_path ?? false;
  }

  trainStep(batch: Batch, ctx: TrainContext): Record<string, number> {
    const { supernet, sampler } = this;
    let teacher: Tensor | undefined;
    try {
      supernet.mutator.set(sampler.max(supernet, ctx));
      const lossMax = ctx.optim.accumulate(() => {
        const logits = supernet.forward(batch.images);
        // A kept copy outlives this gradient tape; later tapes see it as a constant (detached).
        teacher?.dispose();
        teacher = tf.keep(logits.clone());
        return this.loss.forward(logits, batch.labels);
      });
      if (this.stepPerPath) ctx.optim.step();
      const target = teacher!;
      const distillPath = (choices: SubnetChoices): number => {
        supernet.mutator.set(choices);
        const loss = ctx.optim.accumulate(() => this.distillLoss.forward(supernet.forward(batch.images), target));
        if (this.stepPerPath) ctx.optim.step();
        return loss;
      };
      const lossMin = distillPath(sampler.min(supernet, ctx));
      let lossRandom = 0;
      for (let i = 0; i < this.numRandomSamples; i++) lossRandom += distillPath(sampler.sample(supernet, ctx));
      if (!this.stepPerPath) ctx.optim.step();
      return {
        loss: lossMax + lossMin + lossRandom,
        loss_max: lossMax,
        loss_min: lossMin,
        loss_random: this.numRandomSamples > 0 ? lossRandom / this.numRandomSamples : 0,
      };
    } finally {
      teacher?.dispose();
    }
  }

}

export const BIGNAS_SCHEMA = {
  type: 'object',
  description: 'BigNAS sandwich-rule supernet training with in-place distillation from the max subnet.',
  properties: {
    architecture: ARCHITECTURE_PROPERTY,
    sampler: { 'x-kind': 'samplers', default: DEFAULT_SAMPLER, description: 'Draws the random (and min/max) subnets.' },
    loss: { 'x-kind': 'losses', default: DEFAULT_LOSS, description: 'Ground-truth loss of the max subnet.' },
    distill_loss: {
      'x-kind': 'losses',
      default: DEFAULT_DISTILL_LOSS,
      description: "Loss of the min and random subnets against the max subnet's detached logits.",
    },
    num_random_samples: {
      type: 'integer',
      minimum: 0,
      default: DEFAULT_NUM_RANDOM_SAMPLES,
      description: 'Random subnets per step besides the max and min ones.',
    },
    step_per_path: {
      type: 'boolean',
      default: false,
      description: "One optimizer step per path (mmrazor's BigNAS) instead of one step on the summed gradients of all paths.",
    },
  },
  required: ['architecture'],
  additionalProperties: false,
};

ALGORITHMS.register('BigNAS', BigNAS, { schema: BIGNAS_SCHEMA });
