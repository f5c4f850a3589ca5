import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvolutionSearch } from '../../src/search/evolution_search.js';
import type { SearchContext } from '../../src/search/types.js';
import type { SubnetChoices } from '../../src/mutables/types.js';
import { toyComplexity, toyMutator, toyScore } from './toy_space.js';

const cfg = { population_size: 8, top_k: 3, num_mutation: 4, num_crossover: 4, mutate_prob: 0.2, max_generations: 4, seed: 5 };

function ctx(extra: Partial<SearchContext> = {}): SearchContext {
  return { mutator: toyMutator(), complexity: toyComplexity, score: toyScore, ...extra };
}

describe('EvolutionSearch with a prior (search_cfg.prior)', () => {
  it('ranks prior_oversample x population_size candidates by the prior and spends supernet scores only on the best', async () => {
    const ranked: number[][] = [];
    let batch: number[] = [];
    const prior = (c: SubnetChoices) => {
      batch.push(toyScore(c));
      return toyScore(c);
    };
    const scored: SubnetChoices[] = [];
    const res = await new EvolutionSearch({ ...cfg, prior_oversample: 3 }).run(ctx({
      prior,
      score: (c) => {
        if (batch.length) ranked.push(batch), (batch = []);
        scored.push(c);
        return toyScore(c);
      },
    }));
    expect(res.candidates).toHaveLength(cfg.population_size * cfg.max_generations);
    // Generation 0: 24 random candidates ranked, the 8 the prior likes best scored.
    expect(ranked[0]).toHaveLength(24);
    const top8 = [...ranked[0]!].sort((a, b) => b - a).slice(0, 8);
    expect(res.candidates.filter((c) => c.generation === 0).map((c) => c.acc).sort((a, b) => b - a)).toEqual(top8);
    const plain = await new EvolutionSearch(cfg).run(ctx());
    expect(res.best.acc).toBeGreaterThanOrEqual(plain.best.acc);
  });

  it('resumes to the same result, and refuses prior_oversample without a prior', async () => {
    const prior = (c: SubnetChoices) => toyComplexity(c).macs;
    const straight = await new EvolutionSearch({ ...cfg, prior_oversample: 2 }).run(ctx({ prior }));
    const path = join(mkdtempSync(join(tmpdir(), 'evo-prior-')), 'search_state.json');
    let calls = 0;
    const dying = (c: SubnetChoices) => {
      if (++calls === 11) throw new Error('killed');
      return toyScore(c);
    };
    await expect(new EvolutionSearch({ ...cfg, prior_oversample: 2 }).run(ctx({ prior, score: dying, checkpointPath: path }))).rejects.toThrow('killed');
    const resumed = await new EvolutionSearch({ ...cfg, prior_oversample: 2 }).run(ctx({ prior, checkpointPath: path }));
    expect(resumed.candidates).toEqual(straight.candidates);
    await expect(new EvolutionSearch({ ...cfg, prior_oversample: 2 }).run(ctx())).rejects.toThrow(/no prior is set/);
  });
});
