import type { Supernet } from '../../models/types.js';
import type { SubnetChoices } from '../../mutables/types.js';
import { SAMPLERS } from '../../registry/registries.js';
import type { TypedConfig } from '../../registry/registry.js';
import { SamplerConfigError } from './base.js';
import type { SamplerContext, SubnetSampler } from './types.js';

export interface SubspaceSamplerConfig {
  base?: TypedConfig;
  fixed: Record<string, number>;
}

/**
 * One sub-supernet of a few-shot split (Zhao et al., "Few-shot Neural Architecture Search", ICML
 * 2021): the `base` sampler's draws (and its max and min) with the mutables of `fixed` held at their
 * given choices, so training touches only the subnets of that part of the space.
 */
export class SubspaceSampler implements SubnetSampler {
  readonly base: SubnetSampler;
  readonly fixed: Record<string, number>;
  private readonly checked = new WeakSet<Supernet>();

  constructor(cfg: SubspaceSamplerConfig) {
    this.base = SAMPLERS.build<SubnetSampler>(cfg.base ?? { type: 'UniformSampler' });
    this.fixed = { ...cfg.fixed };
  }

  check(supernet: Supernet, where = 'model.sampler'): void {
    if (this.checked.has(supernet)) return;
    const byAlias = new Map(supernet.mutator.mutables.map((m) => [m.alias, m]));
    for (const [alias, value] of Object.entries(this.fixed)) {
      const m = byAlias.get(alias);
      if (!m) throw new SamplerConfigError(`${where}.fixed names '${alias}', which is not a mutable of the supernet (mutables: ${[...byAlias.keys()].join(', ')}).`, 'fixed');
      if (!m.choices.includes(value)) throw new SamplerConfigError(`${where}.fixed.${alias} is ${value}; its choices are ${m.choices.join(', ')}.`, `fixed.${alias}`);
    }
    this.base.check?.(supernet, where);
    this.checked.add(supernet);
  }

  private pin(supernet: Supernet, choices: SubnetChoices): SubnetChoices {
    this.check(supernet);
    return { ...choices, ...this.fixed };
  }

  sample(supernet: Supernet, ctx: SamplerContext): SubnetChoices {
    return this.pin(supernet, this.base.sample(supernet, ctx));
  }

  max(supernet: Supernet, ctx: SamplerContext): SubnetChoices {
    return this.pin(supernet, this.base.max(supernet, ctx));
  }

  min(supernet: Supernet, ctx: SamplerContext): SubnetChoices {
    return this.pin(supernet, this.base.min(supernet, ctx));
  }

  getState(): Record<string, unknown> {
    return { base: this.base.getState() };
  }

  setState(state: Record<string, unknown>): void {
    if (state.base) this.base.setState(state.base as Record<string, unknown>);
  }
}

/** The few-shot split of a space by one mutable: one `fixed` assignment per choice of `alias`. */
export function fewShotSplit(supernet: Supernet, alias: string): Record<string, number>[] {
  const m = supernet.mutator.mutables.find((x) => x.alias === alias);
  if (!m) throw new SamplerConfigError(`The few-shot split names '${alias}', which is not a mutable of the supernet.`);
  return m.choices.map((v) => ({ [alias]: v }));
}

/** Index of the sub-supernet of a split that contains a subnet (its choice of the split's mutable). */
export function subSupernetOf(split: readonly Record<string, number>[], choices: SubnetChoices): number {
  const hits = split.map((f, i) => (Object.entries(f).every(([a, v]) => choices[a] === v) ? i : -1)).filter((i) => i >= 0);
  if (hits.length !== 1) throw new SamplerConfigError(`A subnet lies in ${hits.length} sub-supernets of the split; a split must hold each subnet exactly once.`);
  return hits[0]!;
}

export const SUBSPACE_SAMPLER_SCHEMA = {
  type: 'object',
  description: 'A few-shot sub-supernet: the base sampler with some mutables held at fixed choices.',
  properties: {
    base: { 'x-kind': 'samplers', default: { type: 'UniformSampler' }, description: 'Sampler of the other mutables.' },
    fixed: { type: 'object', additionalProperties: { type: 'number' }, description: 'alias -> the choice held (e.g. {stage3.depth: 2}).' },
  },
  required: ['fixed'],
  additionalProperties: false,
};

SAMPLERS.register('SubspaceSampler', SubspaceSampler, { schema: SUBSPACE_SAMPLER_SCHEMA });
