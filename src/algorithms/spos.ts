import type { Supernet } from '../models/types.js';
import type { Batch } from '../datasets/types.js';
import type { Loss } from '../engine/types.js';
import { ALGORITHMS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import type { TrainContext } from './types.js';
import type { SubnetSampler } from './samplers/types.js';
import { initFromCheckpoint } from './init_checkpoint.js';
import {
  ARCHITECTURE_PROPERTY,
  SamplingAlgorithm,
  DEFAULT_LOSS,
  DEFAULT_SAMPLER,
  buildLoss,
  buildSampler,
  requireSupernet,
  supervisedLoss,
  type AlgorithmConfig,
} from './base.js';

export interface SPOSConfig extends AlgorithmConfig {
  sampler?: TypedConfig;
  loss?: TypedConfig;
  init_checkpoint?: string | null;
}

/** Single Path One-Shot: each step trains one subnet drawn by the sampler on the ground truth. */
export class SPOS extends SamplingAlgorithm {
  readonly supernet: Supernet;
  readonly sampler: SubnetSampler;
  readonly loss: Loss;

  constructor(cfg: SPOSConfig) {
    super(cfg);
    this.supernet = requireSupernet(this.architecture, 'SPOS', cfg.architecture.type);
    // A few-shot sub-supernet starts from the one-shot supernet's weights.
    if (cfg.init_checkpoint) initFromCheckpoint(this.supernet, cfg.init_checkpoint, 'model.init_checkpoint');
    this.sampler = buildSampler(cfg.sampler, this.supernet);
    this.loss = buildLoss(cfg.loss, DEFAULT_LOSS);
  }

  trainStep(batch: Batch, ctx: TrainContext): Record<string, number> {
    this.supernet.mutator.set(this.sampler.sample(this.supernet, ctx));
    const loss = ctx.optim.accumulate(supervisedLoss(this.supernet, this.loss, batch));
    ctx.optim.step();
    return { loss };
  }

}

export const SPOS_SCHEMA = {
  type: 'object',
  description: 'Single Path One-Shot supernet training: one sampled subnet per step.',
  properties: {
    architecture: ARCHITECTURE_PROPERTY,
    sampler: { 'x-kind': 'samplers', default: DEFAULT_SAMPLER, description: 'Draws the subnet of each step.' },
    loss: { 'x-kind': 'losses', default: DEFAULT_LOSS, description: 'Ground-truth loss (e.g. label smoothing).' },
    init_checkpoint: { type: ['string', 'null'], default: null, description: 'Checkpoint (or work_dir) whose weights initialise the supernet (a few-shot sub-supernet from the one-shot one); null: random init.' },
  },
  required: ['architecture'],
  additionalProperties: false,
};

ALGORITHMS.register('SPOS', SPOS, { schema: SPOS_SCHEMA });
