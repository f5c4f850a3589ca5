import { SEARCHERS } from '../registry/registries.js';
import type { SubnetChoices } from '../mutables/types.js';
import { Rng, type RngState } from '../services/rng.js';
import { CandidateSpace, candidateKey } from './candidate_space.js';
import { CandidatePool, rankCandidates } from './candidate_pool.js';
import { CONSTRAINTS_SCHEMA, checkConstraints } from './constraints.js';
import { SearchStateError, readSearchState, writeJsonAtomic } from './search_state.js';
import type { ScoredCandidate, SearchConstraints, SearchContext, SearchResult, Searcher } from './types.js';

export interface EvolutionSearchConfig {
  type?: string;
  population_size: number;
  top_k: number;
  num_mutation: number;
  num_crossover: number;
  mutate_prob: number;
  max_generations: number;
  constraints: SearchConstraints;
  seed: number;
  max_sample_tries: number;
  /** With a prior: candidates drawn per generation per one scored (default 4 with a prior, 1 without). */
  prior_oversample?: number;
}

export const EVOLUTION_SEARCH_SCHEMA = {
  type: 'object',
  properties: {
    population_size: { description: 'Candidates scored per generation (mmrazor num_candidates); random samples fill what offspring leave.', type: 'integer', minimum: 1, default: 50 },
    top_k: { description: 'Best candidates kept as parents across generations.', type: 'integer', minimum: 1, default: 10 },
    num_mutation: { description: 'Offspring made by mutating a random parent per generation.', type: 'integer', minimum: 0, default: 25 },
    num_crossover: { description: 'Offspring made by uniform crossover of two random parents per generation.', type: 'integer', minimum: 0, default: 25 },
    mutate_prob: { description: 'Probability that mutation resamples each choice.', type: 'number', minimum: 0, maximum: 1, default: 0.1 },
    max_generations: { description: 'Number of generations (mmrazor max_epochs).', type: 'integer', minimum: 1, default: 20 },
    constraints: CONSTRAINTS_SCHEMA,
    seed: { description: 'Seed of the search RNG (sampling, mutation, crossover).', type: 'integer', default: 0 },
    max_sample_tries: { description: 'Random samples drawn per missing candidate before giving up (constraints too tight or space exhausted).', type: 'integer', minimum: 1, default: 1000 },
    prior_oversample: {
      description: 'With search_cfg.prior: each generation breeds and samples this many times population_size candidates, ranks them by the prior and scores only the best population_size on the supernet (default 4 with a prior).',
      type: 'integer', minimum: 1,
    },
  },
  required: [],
  additionalProperties: false,
};

const STATE_VERSION = 1;
const DEFAULT_PRIOR_OVERSAMPLE = 4;

/** Resumable state, saved after every scored candidate and at every generation boundary. */
interface EvolutionState {
  searcher: 'EvolutionSearch';
  version: number;
  config: Omit<EvolutionSearchConfig, 'type'>;
  generation: number;
  /** Offspring of the last selection, waiting to enter the next population. */
  offspring: SubnetChoices[];
  /** The current generation's population once filled; null until then. */
  population: SubnetChoices[] | null;
  /** Parents: keys of the best candidates so far, best first. */
  topK: string[];
  scored: ScoredCandidate[];
  rng: RngState;
}

export const EVOLUTION_DEFAULTS: Omit<EvolutionSearchConfig, 'type'> = {
  population_size: 50,
  top_k: 10,
  num_mutation: 25,
  num_crossover: 25,
  mutate_prob: 0.1,
  max_generations: 20,
  constraints: {},
  seed: 0,
  max_sample_tries: 1000,
};

/**
 * Evolution search as mmrazor's EvolutionSearchLoop: each generation fills its population with
 * random admissible samples after the offspring, scores it, keeps the top-k of population and
 * previous parents, then breeds the next offspring by mutation and crossover of the parents.
 * Candidates are deduplicated: no architecture is scored twice. Killed at any point and run again
 * with the same checkpoint, it continues and ends with the same result as an uninterrupted run.
 */
export class EvolutionSearch implements Searcher {
  readonly cfg: Omit<EvolutionSearchConfig, 'type'>;

  constructor(cfg: Partial<EvolutionSearchConfig> = {}) {
    const { type: _type, ...rest } = cfg;
    this.cfg = { ...EVOLUTION_DEFAULTS, ...rest };
    checkConstraints(this.cfg.constraints);
  }

  async run(ctx: SearchContext): Promise<SearchResult> {
    const cfg = this.cfg;
    const space = new CandidateSpace(ctx.mutator, ctx.canonicalize?.bind(ctx));
    const rng = new Rng(cfg.seed);
    let state = ctx.checkpointPath
      ? readSearchState<EvolutionState>(ctx.checkpointPath, 'EvolutionSearch', STATE_VERSION)
      : undefined;
    if (state && JSON.stringify(state.config) !== JSON.stringify(cfg)) {
      throw new SearchStateError(
        `Search checkpoint ${ctx.checkpointPath} was made with another search_cfg (${JSON.stringify(state.config)}); ` +
          'resume with the same settings, or use another work_dir.',
      );
    }
    state ??= {
      searcher: 'EvolutionSearch', version: STATE_VERSION, config: cfg, generation: 0,
      offspring: [], population: null, topK: [], scored: [], rng: rng.getState(),
    };
    rng.setState(state.rng);
    const pool = new CandidatePool(ctx, cfg.constraints, state.scored);
    const oversample = ctx.prior ? (cfg.prior_oversample ?? DEFAULT_PRIOR_OVERSAMPLE) : 1;
    if (!ctx.prior && (cfg.prior_oversample ?? 1) > 1) {
      throw new SearchStateError(`EvolutionSearch: prior_oversample is ${cfg.prior_oversample} but no prior is set; add search_cfg.prior (e.g. {type: ZenScore}).`);
    }
    const total = cfg.population_size * cfg.max_generations;
    const save = (): void => {
      if (!ctx.checkpointPath) return;
      state!.scored = pool.all();
      state!.rng = rng.getState();
      writeJsonAtomic(ctx.checkpointPath, state);
    };

    while (state.generation < cfg.max_generations) {
      if (state.population === null) {
        state.population = await this.fill(state.offspring, pool, space, rng, oversample, ctx.prior);
        state.offspring = [];
        save();
      }
      for (const choices of state.population) {
        if (pool.has(choices)) continue;
        await pool.score(choices, state.generation, total);
        save();
      }
      const contenders = [...state.population.map((c) => pool.get(c)!), ...state.topK.map((k) => byKey(pool, k))];
      const unique = [...new Map(contenders.map((c) => [candidateKey(c.choices), c])).values()];
      const parents = rankCandidates(unique, pool).slice(0, cfg.top_k);
      state.topK = parents.map((p) => candidateKey(p.choices));
      state.offspring = this.breed(parents.map((p) => p.choices), pool, space, rng, oversample);
      state.population = null;
      state.generation += 1;
      save();
    }
    const best = byKey(pool, state.topK[0]!);
    return { best, candidates: pool.all() };
  }

  /**
   * Offspring first, then random admissible samples not seen before, up to population_size; with a
   * prior, up to oversample x population_size of them, of which the prior's best population_size
   * are kept (ties keep the earlier candidate).
   */
  private async fill(offspring: SubnetChoices[], pool: CandidatePool, space: CandidateSpace, rng: Rng,
      oversample = 1, prior?: SearchContext['prior']): Promise<SubnetChoices[]> {
    const want = this.cfg.population_size * oversample;
    const population = offspring.slice(0, want);
    const keys = new Set(population.map(candidateKey));
    let tries = 0;
    const budget = this.cfg.max_sample_tries * want;
    let admissibleSeen = population.length > 0 || pool.size > 0;
    while (population.length < want && tries < budget) {
      tries++;
      const c = space.sample(rng);
      if (!pool.admissible(c)) continue;
      admissibleSeen = true;
      const key = candidateKey(c);
      if (keys.has(key) || pool.has(c)) continue;
      keys.add(key);
      population.push(c);
    }
    if (!admissibleSeen) throw pool.noneAdmissible(tries);
    if (!prior || population.length <= this.cfg.population_size) return population.slice(0, this.cfg.population_size);
    const ranked: { c: SubnetChoices; s: number; i: number }[] = [];
    for (const [i, c] of population.entries()) ranked.push({ c, s: await prior(c), i });
    ranked.sort((a, b) => b.s - a.s || a.i - b.i);
    return ranked.slice(0, this.cfg.population_size).map((r) => r.c);
  }

  private breed(parents: SubnetChoices[], pool: CandidatePool, space: CandidateSpace, rng: Rng, oversample = 1): SubnetChoices[] {
    const numMutation = this.cfg.num_mutation * oversample;
    const numCrossover = this.cfg.num_crossover * oversample;
    const out: SubnetChoices[] = [];
    const keys = new Set<string>();
    const accept = (c: SubnetChoices): void => {
      const key = candidateKey(c);
      if (keys.has(key) || pool.has(c) || !pool.admissible(c)) return;
      keys.add(key);
      out.push(c);
    };
    if (parents.length === 0) return out;
    for (let i = 0, made = 0; i < numMutation * 10 && made < numMutation; i++) {
      const before = out.length;
      accept(space.mutate(rng.choice(parents), this.cfg.mutate_prob, rng));
      made += out.length - before;
    }
    for (let i = 0, made = 0; i < numCrossover * 10 && made < numCrossover; i++) {
      const before = out.length;
      accept(space.crossover(rng.choice(parents), rng.choice(parents), rng));
      made += out.length - before;
    }
    return out;
  }
}

function byKey(pool: CandidatePool, key: string): ScoredCandidate {
  const c = pool.get(Object.fromEntries(JSON.parse(key) as [string, number][]));
  if (!c) throw new SearchStateError(`Search state names candidate ${key}, which was never scored (corrupt checkpoint).`);
  return c;
}

SEARCHERS.register('EvolutionSearch', EvolutionSearch, { schema: EVOLUTION_SEARCH_SCHEMA });
