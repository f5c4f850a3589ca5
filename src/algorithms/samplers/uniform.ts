import type { Supernet } from '../../models/types.js';
import type { SubnetChoices } from '../../mutables/types.js';
import { SAMPLERS } from '../../registry/registries.js';
import { BaseSampler, SAMPLER_BASE_PROPERTIES, type SamplerConfig } from './base.js';
import type { SamplerContext } from './types.js';

export type UniformSamplerConfig = SamplerConfig;

/** Every choice of every mutable equally likely (the mutator's own `sample`), optionally constrained. */
export class UniformSampler extends BaseSampler {
  constructor(cfg: UniformSamplerConfig = {}) {
    super(cfg);
  }

  protected draw(supernet: Supernet, ctx: SamplerContext): SubnetChoices {
    const mutator = supernet.mutator;
    // The mutator's sample may activate the subnet it draws; sampling must not, so restore.
    const before = mutator.current();
    const choices = mutator.sample(ctx.rng);
    mutator.set(before);
    return choices;
  }
}

export const UNIFORM_SAMPLER_SCHEMA = {
  type: 'object',
  description: 'Uniform subnet sampling, with optional complexity constraints.',
  properties: { ...SAMPLER_BASE_PROPERTIES },
  additionalProperties: false,
};

SAMPLERS.register('UniformSampler', UniformSampler, { schema: UNIFORM_SAMPLER_SCHEMA });
