import type { ScoredCandidate } from './types.js';

/**
 * Candidates no other beats on both axes (fewer or equal macs with higher accuracy), in increasing
 * macs: the accuracy-vs-macs Pareto front.
 */
export function paretoFront(candidates: readonly ScoredCandidate[]): ScoredCandidate[] {
  const sorted = [...candidates].sort((a, b) => a.macs - b.macs || b.acc - a.acc);
  const front: ScoredCandidate[] = [];
  let best = -Infinity;
  for (const c of sorted) {
    if (c.acc > best) {
      front.push(c);
      best = c.acc;
    }
  }
  return front;
}
