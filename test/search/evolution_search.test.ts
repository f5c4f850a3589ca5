import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvolutionSearch } from '../../src/search/evolution_search.js';
import { RandomSearch } from '../../src/search/random_search.js';
import { candidateKey } from '../../src/search/candidate_space.js';
import { ConstraintError } from '../../src/search/constraints.js';
import { SEARCHERS } from '../../src/registry/registries.js';
import type { SearchContext } from '../../src/search/types.js';
import type { SubnetChoices } from '../../src/mutables/types.js';
import { toyComplexity, toyMutator, toyScore } from './toy_space.js';

const cfg = { population_size: 12, top_k: 4, num_mutation: 6, num_crossover: 6, mutate_prob: 0.2, max_generations: 6, seed: 3 };

function ctx(extra: Partial<SearchContext> = {}): SearchContext {
  return { mutator: toyMutator(), complexity: toyComplexity, score: toyScore, ...extra };
}

describe('EvolutionSearch', () => {
  it('is registered and scores only candidates inside the constraints', async () => {
    expect(SEARCHERS.has('EvolutionSearch')).toBe(true);
    const constraints = { macs: [10, 22] as [number, number], params: [0, 7] as [number, number] };
    const res = await new EvolutionSearch({ ...cfg, constraints }).run(ctx());
    expect(res.candidates.length).toBeGreaterThan(cfg.population_size);
    for (const c of res.candidates) {
      expect(c.macs).toBeGreaterThanOrEqual(10);
      expect(c.macs).toBeLessThanOrEqual(22);
      expect(c.params).toBeLessThanOrEqual(7);
      expect(toyComplexity(c.choices)).toEqual({ macs: c.macs, params: c.params });
    }
  });

  it('never scores an architecture twice', async () => {
    const calls: string[] = [];
    const res = await new EvolutionSearch(cfg).run(ctx({ score: (c) => { calls.push(candidateKey(c)); return toyScore(c); } }));
    expect(new Set(calls).size).toBe(calls.length);
    expect(calls.length).toBe(res.candidates.length);
  });

  it('improves on the first generation and beats random search with the same budget', async () => {
    const res = await new EvolutionSearch({ ...cfg, max_generations: 10 }).run(ctx());
    const gen0 = Math.max(...res.candidates.filter((c) => c.generation === 0).map((c) => c.acc));
    expect(res.best.acc).toBeGreaterThan(gen0);
    expect(res.best.acc).toBe(Math.max(...res.candidates.map((c) => c.acc)));
    const random = await new RandomSearch({ num_samples: res.candidates.length, seed: 3 }).run(ctx());
    expect(res.best.acc).toBeGreaterThan(random.best.acc);
  });

  it('resumes after a kill between and inside generations with the same result as a straight run', async () => {
    const straight = await new EvolutionSearch(cfg).run(ctx());
    for (const killAt of [5, 12, 13, 40]) {
      const path = join(mkdtempSync(join(tmpdir(), 'evo-')), 'search_state.json');
      let calls = 0;
      const dying = (c: SubnetChoices): number => {
        if (++calls === killAt) throw new Error('killed');
        return toyScore(c);
      };
      await expect(new EvolutionSearch(cfg).run(ctx({ score: dying, checkpointPath: path }))).rejects.toThrow('killed');
      expect(existsSync(path)).toBe(true);
      let rescored = 0;
      const resumed = await new EvolutionSearch(cfg).run(ctx({ checkpointPath: path, score: (c) => { rescored++; return toyScore(c); } }));
      expect(resumed.candidates).toEqual(straight.candidates);
      expect(resumed.best).toEqual(straight.best);
      expect(rescored).toBe(straight.candidates.length - (killAt - 1));
    }
  });

  it('refuses a checkpoint made with other settings', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'evo-')), 'search_state.json');
    await new EvolutionSearch({ ...cfg, max_generations: 1 }).run(ctx({ checkpointPath: path }));
    await expect(new EvolutionSearch(cfg).run(ctx({ checkpointPath: path }))).rejects.toThrow(/another search_cfg/);
  });

  it('explains constraints that no subnet meets', async () => {
    const search = new EvolutionSearch({ ...cfg, constraints: { macs: [100, 200] }, max_sample_tries: 5 });
    await expect(search.run(ctx())).rejects.toThrow(ConstraintError);
    await expect(search.run(ctx())).rejects.toThrow(/macs in \[\d+, \d+\]/);
    expect(() => new EvolutionSearch({ constraints: { macs: [5, 1] } })).toThrow(/min is above its max/);
  });
});

describe('RandomSearch', () => {
  it('scores distinct admissible samples and resumes exactly', async () => {
    const constraints = { macs: [0, 15] as [number, number] };
    const straight = await new RandomSearch({ num_samples: 20, constraints }).run(ctx());
    expect(straight.candidates).toHaveLength(20);
    expect(new Set(straight.candidates.map((c) => candidateKey(c.choices))).size).toBe(20);
    expect(straight.candidates.every((c) => c.macs <= 15)).toBe(true);
    const path = join(mkdtempSync(join(tmpdir(), 'rs-')), 'state.json');
    let n = 0;
    await expect(new RandomSearch({ num_samples: 20, constraints }).run(ctx({ checkpointPath: path, score: (c) => { if (++n === 9) throw new Error('killed'); return toyScore(c); } }))).rejects.toThrow('killed');
    const resumed = await new RandomSearch({ num_samples: 20, constraints }).run(ctx({ checkpointPath: path }));
    expect(resumed).toEqual(straight);
  });
});

describe('paretoFront', () => {
  it('keeps the candidates no other beats on macs and accuracy', async () => {
    const { paretoFront } = await import('../../src/search/pareto.js');
    const c = (macs: number, acc: number) => ({ choices: {}, macs, params: 0, acc, generation: 0 });
    const cands = [c(5, 0.5), c(1, 0.2), c(3, 0.6), c(3, 0.4), c(4, 0.55), c(6, 0.7), c(2, 0.2)];
    expect(paretoFront(cands).map((x) => [x.macs, x.acc])).toEqual([[1, 0.2], [3, 0.6], [6, 0.7]]);
  });
});
