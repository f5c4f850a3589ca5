import type { Mutable, Mutator, SubnetChoices } from '../mutables/types.js';
import type { Rng } from '../services/rng.js';

/** Canonical string of a subnet (aliases sorted), used to deduplicate candidates. */
export function candidateKey(choices: SubnetChoices): string {
  return JSON.stringify(Object.keys(choices).sort().map((k) => [k, choices[k]]));
}

/**
 * The operators of a search over a mutator's space: random sample, mutation, crossover. All
 * randomness comes from the given Rng so that a search resumes exactly from its saved state.
 */
export class CandidateSpace {
  private readonly byAlias: Map<string, Mutable>;

  constructor(
    private readonly mutator: Mutator,
    private readonly canonical: (c: SubnetChoices) => SubnetChoices = (c) => c,
  ) {
    this.byAlias = new Map(mutator.mutables.map((m) => [m.alias, m]));
  }

  sample(rng: Rng): SubnetChoices {
    return this.canonical({ ...this.mutator.sample(rng) });
  }

  /** Each searchable choice is resampled with probability `prob` (mmrazor's mutation). */
  mutate(parent: SubnetChoices, prob: number, rng: Rng): SubnetChoices {
    const child: SubnetChoices = {};
    for (const alias of Object.keys(parent).sort()) {
      const m = this.byAlias.get(alias);
      const resample = m !== undefined && !m.isFixed && m.choices.length > 1 && rng.random() < prob;
      child[alias] = resample ? rng.choice(m.choices) : parent[alias]!;
    }
    return this.canonical(child);
  }

  /** Uniform crossover: each choice from either parent with probability 1/2. */
  crossover(a: SubnetChoices, b: SubnetChoices, rng: Rng): SubnetChoices {
    const child: SubnetChoices = {};
    for (const alias of Object.keys(a).sort()) child[alias] = rng.random() < 0.5 ? a[alias]! : (b[alias] ?? a[alias]!);
    return this.canonical(child);
  }
}
