import type { Rng } from '../services/rng.js';
import type { Mutable } from './types.js';
import type { ValueSource } from './sources.js';
import { InvalidChoiceError, MutableDefinitionError, formatChoices } from './errors.js';

export interface MutableValueConfig {
  alias: string;
  choices: number[];
  /** Initial choice (default: the largest). */
  default?: number;
}

// Choices written in YAML and produced by code (0.95 vs 0.95000001) must compare equal.
const TOLERANCE = 1e-9;

/** A scalar choice such as a depth, a kernel size or an expand ratio. */
export class MutableValue implements Mutable, ValueSource {
  readonly alias: string;
  readonly choices: readonly number[];
  readonly min: number;
  readonly max: number;
  private current: number;
  private fixed = false;

  constructor(cfg: MutableValueConfig) {
    if (typeof cfg.alias !== 'string' || cfg.alias.length === 0) {
      throw new MutableDefinitionError(`A mutable needs a non-empty alias, got ${JSON.stringify(cfg.alias)}.`, String(cfg.alias));
    }
    if (!Array.isArray(cfg.choices) || cfg.choices.length === 0 || cfg.choices.some((c) => !Number.isFinite(c))) {
      throw new MutableDefinitionError(`Mutable '${cfg.alias}' needs a non-empty list of finite numbers as choices, got ${JSON.stringify(cfg.choices)}.`, cfg.alias);
    }
    if (new Set(cfg.choices).size !== cfg.choices.length) {
      throw new MutableDefinitionError(`Mutable '${cfg.alias}' has repeated choices ${formatChoices(cfg.choices)}.`, cfg.alias);
    }
    this.alias = cfg.alias;
    this.choices = Object.freeze([...cfg.choices]);
    this.min = Math.min(...cfg.choices);
    this.max = Math.max(...cfg.choices);
    this.current = this.max;
    if (cfg.default !== undefined) this.currentChoice = cfg.default;
  }

  get currentChoice(): number {
    return this.current;
  }

  set currentChoice(value: number) {
    const choice = this.resolve(value);
    if (this.fixed && choice !== this.current) {
      throw new InvalidChoiceError(`Mutable '${this.alias}' is fixed to ${this.current}; cannot set it to ${value}.`, this.alias, value, [this.current]);
    }
    this.current = choice;
  }

  get currentValue(): number {
    return this.current;
  }

  get maxValue(): number {
    return this.max;
  }

  get isFixed(): boolean {
    return this.fixed;
  }

  /** The stored choice equal to `value` (within float tolerance), or a typed error. */
  resolve(value: unknown): number {
    if (typeof value === 'number') {
      for (const c of this.choices) if (Math.abs(c - value) <= TOLERANCE) return c;
    }
    throw new InvalidChoiceError(
      `Invalid choice ${JSON.stringify(value)} for '${this.alias}': valid choices are ${formatChoices(this.choices)}.`,
      this.alias,
      value,
      this.choices,
    );
  }

  sample(rng: Rng): number {
    if (!this.fixed) this.current = rng.choice(this.choices);
    return this.current;
  }

  fixChosen(choice: number): void {
    this.current = this.resolve(choice);
    this.fixed = true;
  }
}
