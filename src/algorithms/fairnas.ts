import type { Supernet } from '../models/types.js';
import type { Batch } from '../datasets/types.js';
import type { Loss } from '../engine/types.js';
import { ALGORITHMS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import type { TrainContext } from './types.js';
import type { SubnetSampler } from './samplers/types.js';
import { ARCHITECTURE_PROPERTY, SamplingAlgorithm, DEFAULT_LOSS, buildLoss, buildSampler, requireSupernet, supervisedLoss, type AlgorithmConfig } from './base.js';
import './samplers/strict_fair.js';

export interface FairNASConfig extends AlgorithmConfig {
  sampler?: TypedConfig;
  loss?: TypedConfig;
  num_paths?: number;
}

export const DEFAULT_FAIR_SAMPLER: TypedConfig = { type: 'StrictFairSampler' };

/** Paths per FairNAS step by default: the most choices any mutable has, so one step is one round of the widest mutables. */
export function defaultFairPaths(supernet: Supernet): number {
  return Math.max(1, ...supernet.mutator.mutables.filter((m) => !m.isFixed).map((m) => m.choices.length));
}

/**
 * FairNAS (Chu et al., ICCV 2021, Algorithm 1): each step draws `num_paths` subnets from the
 * strict-fair sampler, back-propagates each one's ground-truth loss on the same batch, and takes one
 * optimizer step on the summed gradients, so within a step every choice of a mutable with
 * `num_paths` choices is trained exactly once.
 */
export class FairNAS extends SamplingAlgorithm {
  readonly supernet: Supernet;
  readonly sampler: SubnetSampler;
  readonly loss: Loss;
  readonly numPaths: number;

  constructor(cfg: FairNASConfig) {
    super(cfg);
    this.supernet = requireSupernet(this.architecture, 'FairNAS', cfg.architecture.type);
    this.sampler = buildSampler(cfg.sampler ?? DEFAULT_FAIR_SAMPLER, this.supernet);
    this.loss = buildLoss(cfg.loss, DEFAULT_LOSS);
    this.numPaths = cfg.num_paths ?? defaultFairPaths(this.supernet);
  }

  trainStep(batch: Batch, ctx: TrainContext): Record<string, number> {
    let total = 0;
    for (let i = 0; i < this.numPaths; i++) {
      this.supernet.mutator.set(this.sampler.sample(this.supernet, ctx));
      total += ctx.optim.accumulate(supervisedLoss(this.supernet, this.loss, batch));
    }
    ctx.optim.step();
    return { loss: total / this.numPaths };
  }

}

export const FAIRNAS_SCHEMA = {
  type: 'object',
  description: 'FairNAS: num_paths strict-fair subnets per step, gradients summed, one optimizer step.',
  properties: {
    architecture: ARCHITECTURE_PROPERTY,
    sampler: { 'x-kind': 'samplers', default: DEFAULT_FAIR_SAMPLER, description: 'Draws the paths of a step (StrictFairSampler for FairNAS).' },
    loss: { 'x-kind': 'losses', default: DEFAULT_LOSS, description: 'Ground-truth loss of every path.' },
    num_paths: { type: 'integer', minimum: 1, description: 'Paths per step; default the most choices of any mutable.' },
  },
  required: ['architecture'],
  additionalProperties: false,
};

ALGORITHMS.register('FairNAS', FairNAS, { schema: FAIRNAS_SCHEMA });
