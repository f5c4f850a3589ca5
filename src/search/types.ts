import type { Complexity } from '../models/types.js';
import type { Mutator, SubnetChoices } from '../mutables/types.js';

/** One scored architecture of a search. */
export interface ScoredCandidate {
  choices: SubnetChoices;
  macs: number;
  params: number;
  /** Calibrated validation top-1 in [0, 1] (or any score where larger is better). */
  acc: number;
  /** Generation (evolution) or 0 (random search) in which it was first scored. */
  generation: number;
  /** Predicted batch-1 latency from search_cfg.latency_table, when one is configured. */
  latency_ms?: number;
}

/** Scores a subnet; larger is better. Must be deterministic for a search to resume exactly. */
export type CandidateScorer = (choices: SubnetChoices) => Promise<number> | number;

/** Inclusive [min, max] ranges; a missing key is unconstrained. */
export interface SearchConstraints {
  macs?: [number, number];
  params?: [number, number];
  /** Predicted latency in ms (needs search_cfg.latency_table). */
  latency_ms?: [number, number];
}

/** What constraints are checked on: macs and params, and the predicted latency where a table is configured. */
export type SearchComplexity = Complexity & { latency_ms?: number };

/** What a searcher needs from the outside world. */
export interface SearchContext {
  mutator: Mutator;
  complexity(choices: SubnetChoices): SearchComplexity;
  score: CandidateScorer;
  /**
   * A cheap score (a zero-cost proxy or a fitted predictor, larger is better) that EvolutionSearch
   * ranks its candidates by before it spends supernet evaluations on the best of them.
   */
  prior?: CandidateScorer;
  /** Map a candidate to the canonical form of its architecture (e.g. unused choices at their max) so equal architectures dedupe. */
  canonicalize?(choices: SubnetChoices): SubnetChoices;
  /** Where the searcher keeps its resumable state (JSON, written atomically); none: not resumable. */
  checkpointPath?: string;
  /** Called after each newly scored candidate. */
  onScored?(candidate: ScoredCandidate, progress: SearchProgress): void;
}

export interface SearchProgress {
  /** Candidates scored so far (including ones restored from a checkpoint). */
  scored: number;
  /** Planned total number of candidates to score (an upper bound for evolution). */
  total: number;
  generation: number;
}

export interface SearchResult {
  best: ScoredCandidate;
  /** Every scored candidate in scoring order. */
  candidates: ScoredCandidate[];
}

/** A registered search strategy (`search_cfg.searcher`). */
export interface Searcher {
  run(ctx: SearchContext): Promise<SearchResult>;
}
