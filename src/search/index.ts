// Importing this module registers the searchers of the core namespace.
import './random_search.js';
import './evolution_search.js';

export * from './types.js';
export { EvolutionSearch } from './evolution_search.js';
export { RandomSearch } from './random_search.js';
export { candidateKey, CandidateSpace } from './candidate_space.js';
export { ConstraintError, satisfies } from './constraints.js';
