import type { Complexity, Supernet } from '../../models/types.js';
import type { Mutable, SubnetChoices } from '../../mutables/types.js';
import type { SamplerContext, SubnetSampler } from './types.js';
import {
  CONSTRAINTS_SCHEMA,
  SamplingConstraintError,
  type ComplexityConstraints,
  describeConstraints,
  describeSpace,
  impossibility,
  satisfies,
} from './constraints.js';

export interface SamplerConfig {
  constraints?: ComplexityConstraints;
  max_retries?: number;
}

export const DEFAULT_MAX_RETRIES = 200;

/** A sampler option that cannot work (e.g. an invalid alias pattern): the config's fault, exit 2. */
export class SamplerConfigError extends Error {
  override readonly name = 'SamplerConfigError';
  readonly isUserError = true;

  /** `configKey`: the bad value's path below the sampler's config, so the error can name its file. */
  constructor(message: string, readonly configKey?: string) {
    super(message);
  }
}

/** Schema properties every sampler accepts (constrained sampling). */
export const SAMPLER_BASE_PROPERTIES = {
  constraints: CONSTRAINTS_SCHEMA,
  max_retries: {
    type: 'integer',
    minimum: 1,
    default: DEFAULT_MAX_RETRIES,
    description: 'Draws tried per sample before giving up when constraints are set.',
  },
};

/** Choices of every mutable at one extreme; fixed mutables keep their chosen value. */
export function extremeChoices(mutables: readonly Mutable[], which: 'min' | 'max'): SubnetChoices {
  return Object.fromEntries(mutables.map((m) => [m.alias, m.isFixed ? m.currentChoice : m[which]]));
}

/** Complexity of the smallest and largest subnets of a space. */
export function spaceExtremes(supernet: Supernet): { min: Complexity; max: Complexity } {
  const mutables = supernet.mutator.mutables;
  return {
    min: supernet.complexity(extremeChoices(mutables, 'min')),
    max: supernet.complexity(extremeChoices(mutables, 'max')),
  };
}

/**
 * Shared part of the samplers: constrained sampling by rejection. Subclasses say how one
 * unconstrained subnet is drawn; this class redraws until the complexity fits.
 */
export abstract class BaseSampler implements SubnetSampler {
  protected readonly constraints?: ComplexityConstraints;
  protected readonly maxRetries: number;
  /** Draws made and draws rejected by the constraints (logged, and saved for resume). */
  protected draws = 0;
  protected rejected = 0;
  private readonly checked = new WeakSet<Supernet>();

  constructor(cfg: SamplerConfig) {
    const c = cfg.constraints;
    this.constraints = c && (c.macs || c.params) ? c : undefined;
    this.maxRetries = cfg.max_retries ?? DEFAULT_MAX_RETRIES;
  }

  /** One subnet drawn without regard to the constraints. */
  protected abstract draw(supernet: Supernet, ctx: SamplerContext): SubnetChoices;

  sample(supernet: Supernet, ctx: SamplerContext): SubnetChoices {
    const constraints = this.constraints;
    if (!constraints) {
      this.draws++;
      return this.draw(supernet, ctx);
    }
    this.check(supernet);
    for (let i = 0; i < this.maxRetries; i++) {
      const choices = this.draw(supernet, ctx);
      this.draws++;
      if (satisfies(supernet.complexity(choices), constraints)) return choices;
      this.rejected++;
    }
    const space = spaceExtremes(supernet);
    throw new SamplingConstraintError(
      `Constrained sampling found no subnet with ${describeConstraints(constraints)} in ${this.maxRetries} ` +
        `draws (max_retries) at epoch ${ctx.epoch}; the space spans ${describeSpace(space)}. ` +
        'Widen the ranges, raise max_retries, or check that warm-up has not restricted the choices too far.',
      constraints,
      space,
    );
  }

  max(supernet: Supernet, _ctx: SamplerContext): SubnetChoices {
    return extremeChoices(supernet.mutator.mutables, 'max');
  }

  min(supernet: Supernet, _ctx: SamplerContext): SubnetChoices {
    return extremeChoices(supernet.mutator.mutables, 'min');
  }

  /** Fraction of constrained draws rejected so far (0 without constraints). */
  get rejectionRate(): number {
    return this.draws === 0 ? 0 : this.rejected / this.draws;
  }

  getState(): Record<string, unknown> {
    return { draws: this.draws, rejected: this.rejected };
  }

  setState(state: Record<string, unknown>): void {
    this.draws = typeof state.draws === 'number' ? state.draws : 0;
    this.rejected = typeof state.rejected === 'number' ? state.rejected : 0;
  }

  /**
   * Throw SamplingConstraintError if no subnet of `supernet` can meet the constraints, so a units
   * slip fails when the algorithm is built rather than at the first step; `where` is the sampler's
   * config path, so the message names `<where>.constraints`.
   */
  check(supernet: Supernet, where = 'The sampler'): void {
    const constraints = this.constraints;
    if (!constraints || this.checked.has(supernet)) return;
    const space = spaceExtremes(supernet);
    const why = impossibility(constraints, space);
    if (why) {
      throw new SamplingConstraintError(
        `${where === 'The sampler' ? 'The sampler constraints' : `${where}.constraints`} (${describeConstraints(constraints)}) cannot be met: ${why}; the space spans ${describeSpace(space)} ` +
          '(MACs and params are plain counts, not millions). Widen the ranges or remove them.',
        constraints,
        space,
      );
    }
    this.checked.add(supernet);
  }
}
