import seedrandom from 'seedrandom';

/** Serializable state of an Rng, saved in checkpoints for exact resume. */
export type RngState = seedrandom.State.Alea;

/**
 * Seeded random numbers whose state can be saved and restored (checkpoints resume exactly).
 * seedrandom's Alea is small, fast and exposes its state.
 */
export class Rng {
  private prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>;

  constructor(seed: number | string = 0, state?: RngState) {
    this.prng = state
      ? seedrandom.alea('', { state })
      : seedrandom.alea(String(seed), { state: true });
  }

  /** Uniform in [0, 1). */
  random(): number {
    return this.prng();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.choice: empty list');
    return items[this.int(items.length)]!;
  }

  /** Fisher-Yates shuffle, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** A new independent generator seeded from this one (for sub-streams such as data order). */
  fork(): Rng {
    return new Rng(Math.floor(this.prng() * 2 ** 32));
  }

  /** Standard normal by Box-Muller. */
  normal(): number {
    const u = 1 - this.prng();
    const v = this.prng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  getState(): RngState {
    return this.prng.state();
  }

  setState(state: RngState): void {
    this.prng = seedrandom.alea('', { state });
  }
}
