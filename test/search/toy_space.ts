import type { Mutable, Mutator, SubnetChoices } from '../../src/mutables/types.js';
import type { Rng } from '../../src/services/rng.js';

/** A minimal mutable/mutator pair over integer choices, independent of the real search space. */
export class ToyMutable implements Mutable {
  currentChoice: number;
  isFixed = false;
  constructor(readonly alias: string, readonly choices: readonly number[]) {
    this.currentChoice = choices[choices.length - 1]!;
  }
  get min(): number { return Math.min(...this.choices); }
  get max(): number { return Math.max(...this.choices); }
  sample(rng: Rng): number { return rng.choice(this.choices); }
  fixChosen(choice: number): void { this.currentChoice = choice; this.isFixed = true; }
}

export class ToyMutator implements Mutator {
  constructor(readonly mutables: readonly ToyMutable[]) {}
  sample(rng: Rng): SubnetChoices {
    return Object.fromEntries(this.mutables.map((m) => [m.alias, m.sample(rng)]));
  }
  setMax(): SubnetChoices { this.set(Object.fromEntries(this.mutables.map((m) => [m.alias, m.max]))); return this.current(); }
  setMin(): SubnetChoices { this.set(Object.fromEntries(this.mutables.map((m) => [m.alias, m.min]))); return this.current(); }
  current(): SubnetChoices { return Object.fromEntries(this.mutables.map((m) => [m.alias, m.currentChoice])); }
  set(choices: SubnetChoices): void { for (const m of this.mutables) if (m.alias in choices) m.currentChoice = choices[m.alias]!; }
}

/** `n` mutables a0..a{n-1}, each with choices 0..k-1. */
export function toyMutator(n = 8, k = 6): ToyMutator {
  return new ToyMutator(Array.from({ length: n }, (_, i) => new ToyMutable(`a${i}`, Array.from({ length: k }, (_, j) => j))));
}

/** Toy complexity: macs = sum of choices, params = number of non-zero choices. */
export function toyComplexity(c: SubnetChoices): { macs: number; params: number } {
  const v = Object.values(c);
  return { macs: v.reduce((a, b) => a + b, 0), params: v.filter((x) => x > 0).length };
}

/** Toy score: prefers large choices on even aliases and small on odd ones; max 1. */
export function toyScore(c: SubnetChoices): number {
  let s = 0;
  const keys = Object.keys(c).sort();
  keys.forEach((k, i) => { s += i % 2 === 0 ? c[k]! : 5 - c[k]!; });
  return s / (5 * keys.length);
}
