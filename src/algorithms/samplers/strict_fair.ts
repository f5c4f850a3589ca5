import type { Supernet } from '../../models/types.js';
import type { SubnetChoices } from '../../mutables/types.js';
import { SAMPLERS } from '../../registry/registries.js';
import { BaseSampler, SAMPLER_BASE_PROPERTIES, type SamplerConfig } from './base.js';
import type { SamplerContext } from './types.js';

export type StrictFairSamplerConfig = SamplerConfig;

/**
 * FairNAS strict fairness (Chu et al., 2021): every choice of a mutable is trained exactly once per
 * round. Each mutable keeps a queue, a seeded permutation of its k choices; every draw takes the
 * next choice of every queue and a queue refills with a fresh permutation when empty, so draws
 * r*k .. r*k+k-1 of a mutable with k choices use each of them exactly once. FairNAS has k equal for
 * every layer; here a mutable with fewer choices (a depth of 3 beside widths of 7) runs its own,
 * shorter rounds. Constraints (when set) redraw, which breaks strict fairness; FairNAS has none.
 */
export class StrictFairSampler extends BaseSampler {
  private queues: Record<string, number[]> = {};

  constructor(cfg: StrictFairSamplerConfig = {}) {
    super(cfg);
  }

  protected draw(supernet: Supernet, ctx: SamplerContext): SubnetChoices {
    const out: SubnetChoices = {};
    for (const m of supernet.mutator.mutables) {
      if (m.isFixed) {
        out[m.alias] = m.currentChoice;
        continue;
      }
      let queue = this.queues[m.alias];
      if (!queue || queue.length === 0) {
        queue = ctx.rng.shuffle([...m.choices]);
        this.queues[m.alias] = queue;
      }
      out[m.alias] = queue.shift()!;
    }
    return out;
  }

  /** Choices still due in the current round of each mutable (a test and a resume read them). */
  pending(alias: string): readonly number[] {
    return this.queues[alias] ?? [];
  }

  override getState(): Record<string, unknown> {
    return { ...super.getState(), queues: Object.fromEntries(Object.entries(this.queues).map(([k, v]) => [k, [...v]])) };
  }

  override setState(state: Record<string, unknown>): void {
    super.setState(state);
    const queues = state.queues;
    this.queues = {};
    if (queues && typeof queues === 'object') {
      for (const [k, v] of Object.entries(queues as Record<string, unknown>)) {
        if (Array.isArray(v) && v.every((x) => typeof x === 'number')) this.queues[k] = [...(v as number[])];
      }
    }
  }
}

export const STRICT_FAIR_SAMPLER_SCHEMA = {
  type: 'object',
  description: "FairNAS strict-fair sampling: each choice of each mutable exactly once per round of that mutable's draws.",
  properties: { ...SAMPLER_BASE_PROPERTIES },
  additionalProperties: false,
};

SAMPLERS.register('StrictFairSampler', StrictFairSampler, { schema: STRICT_FAIR_SAMPLER_SCHEMA });
