import { SEARCHERS } from '../registry/registries.js';
import type { SubnetChoices } from '../mutables/types.js';
import { Rng, type RngState } from '../services/rng.js';
import { CandidateSpace, candidateKey } from './candidate_space.js';
import { CandidatePool, rankCandidates } from './candidate_pool.js';
import { CONSTRAINTS_SCHEMA, checkConstraints } from './constraints.js';
import { SearchStateError, readSearchState, writeJsonAtomic } from './search_state.js';
import type { ScoredCandidate, SearchConstraints, SearchContext, SearchResult, Searcher } from './types.js';

export interface RandomSearchConfig {
  type?: string;
  num_samples: number;
  constraints: SearchConstraints;
  seed: number;
  max_sample_tries: number;
}

export const RANDOM_SEARCH_SCHEMA = {
  type: 'object',
  properties: {
    num_samples: { description: 'Distinct admissible subnets to sample and score.', type: 'integer', minimum: 1, default: 100 },
    constraints: CONSTRAINTS_SCHEMA,
    seed: { description: 'Seed of the sampling RNG.', type: 'integer', default: 0 },
    max_sample_tries: { description: 'Random samples drawn per wanted candidate before giving up.', type: 'integer', minimum: 1, default: 1000 },
  },
  required: [],
  additionalProperties: false,
};

const STATE_VERSION = 1;

interface RandomSearchState {
  searcher: 'RandomSearch';
  version: number;
  config: Omit<RandomSearchConfig, 'type'>;
  /** All candidates to score, drawn once at the start. */
  planned: SubnetChoices[];
  scored: ScoredCandidate[];
  rng: RngState;
}

/** Random search: draws `num_samples` distinct admissible subnets, scores each, keeps the best. */
export class RandomSearch implements Searcher {
  readonly cfg: Omit<RandomSearchConfig, 'type'>;

  constructor(cfg: Partial<RandomSearchConfig> = {}) {
    const { type: _type, ...rest } = cfg;
    this.cfg = { num_samples: 100, constraints: {}, seed: 0, max_sample_tries: 1000, ...rest };
    checkConstraints(this.cfg.constraints);
  }

  async run(ctx: SearchContext): Promise<SearchResult> {
    const cfg = this.cfg;
    let state = ctx.checkpointPath
      ? readSearchState<RandomSearchState>(ctx.checkpointPath, 'RandomSearch', STATE_VERSION)
      : undefined;
    if (state && JSON.stringify(state.config) !== JSON.stringify(cfg)) {
      throw new SearchStateError(
        `Search checkpoint ${ctx.checkpointPath} was made with another search_cfg (${JSON.stringify(state.config)}); ` +
          'resume with the same settings, or use another work_dir.',
      );
    }
    const pool = new CandidatePool(ctx, cfg.constraints, state?.scored ?? []);
    const save = (): void => {
      if (!ctx.checkpointPath || !state) return;
      state.scored = pool.all();
      writeJsonAtomic(ctx.checkpointPath, state);
    };
    if (!state) {
      const rng = new Rng(cfg.seed);
      state = { searcher: 'RandomSearch', version: STATE_VERSION, config: cfg, planned: this.plan(pool, new CandidateSpace(ctx.mutator, ctx.canonicalize?.bind(ctx)), rng), scored: [], rng: rng.getState() };
      save();
    }
    for (const choices of state.planned) {
      if (pool.has(choices)) continue;
      await pool.score(choices, 0, state.planned.length);
      save();
    }
    const best = rankCandidates(pool.all(), pool)[0]!;
    return { best, candidates: pool.all() };
  }

  private plan(pool: CandidatePool, space: CandidateSpace, rng: Rng): SubnetChoices[] {
    const planned: SubnetChoices[] = [];
    const keys = new Set<string>();
    const budget = this.cfg.max_sample_tries * this.cfg.num_samples;
    let tries = 0;
    let admissible = 0;
    while (planned.length < this.cfg.num_samples && tries < budget) {
      tries++;
      const c = space.sample(rng);
      if (!pool.admissible(c)) continue;
      admissible++;
      const key = candidateKey(c);
      if (keys.has(key)) continue;
      keys.add(key);
      planned.push(c);
    }
    if (admissible === 0) throw pool.noneAdmissible(tries);
    return planned;
  }
}

SEARCHERS.register('RandomSearch', RandomSearch, { schema: RANDOM_SEARCH_SCHEMA });
