import type { Mutable } from './types.js';
import { MutableValue } from './mutable_value.js';
import { DerivedMutable } from './derived_mutable.js';

/** A module (dynamic op) that reads mutables; the mutator finds them through this. */
export interface UsesMutables {
  mutables(): readonly Mutable[];
}

export function usesMutables(x: unknown): x is UsesMutables {
  return typeof (x as Partial<UsesMutables>)?.mutables === 'function';
}

/** The searchable mutables behind a channel/value source (none for a fixed width). */
export function mutablesOf(source: unknown): Mutable[] {
  if (source instanceof MutableValue) return [source];
  if (source instanceof DerivedMutable) return [...source.sources];
  return [];
}

/**
 * All mutables read by `modules` (first-seen order), each once: shared instances (channel units)
 * are deduplicated by identity.
 */
export function collectMutables(modules: Iterable<unknown>): Mutable[] {
  const seen = new Set<Mutable>();
  for (const m of modules) {
    if (!usesMutables(m)) continue;
    for (const mut of m.mutables()) seen.add(mut);
  }
  return [...seen];
}
