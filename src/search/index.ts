// Importing this module registers the searchers and the `search_cfg` section schema.
import './random_search.js';
import './evolution_search.js';
import './search_cfg.js';

export * from './types.js';
export { EvolutionSearch } from './evolution_search.js';
export { RandomSearch } from './random_search.js';
export { candidateKey, CandidateSpace } from './candidate_space.js';
export { ConstraintError, satisfies } from './constraints.js';
export { readSearchCfg, type SearchCfg } from './search_cfg.js';
