import type { Rng } from '../../services/rng.js';
import type { SubnetChoices } from '../../mutables/types.js';
import type { Supernet } from '../../models/types.js';

/** What a sampler needs to know about where training stands (a subset of TrainContext). */
export interface SamplerContext {
  epoch: number;
  rng: Rng;
}

/**
 * Chooses the subnets an algorithm trains. Samplers only return choices; the algorithm applies
 * them with `supernet.mutator.set`, so sampling never changes the active subnet by itself.
 */
export interface SubnetSampler {
  /** A random subnet within the currently allowed choices (and constraints, if any). */
  sample(supernet: Supernet, ctx: SamplerContext): SubnetChoices;
  /** The largest currently allowed subnet (BigNAS's max path). */
  max(supernet: Supernet, ctx: SamplerContext): SubnetChoices;
  /** The smallest currently allowed subnet (BigNAS's min path). */
  min(supernet: Supernet, ctx: SamplerContext): SubnetChoices;
  /** Throw if no subnet of `supernet` can ever be drawn (e.g. constraints outside its range); `where` is the config path. */
  check?(supernet: Supernet, where?: string): void;
  /** State beyond the rng (warm-up stage, rejection counts), saved in checkpoints. */
  getState(): Record<string, unknown>;
  setState(state: Record<string, unknown>): void;
}
