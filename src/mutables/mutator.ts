import type { Rng } from '../services/rng.js';
import type { Module } from '../models/module.js';
import { nearestNames } from '../registry/registry.js';
import type { Mutable, Mutator as MutatorContract, SubnetChoices } from './types.js';
import { InvalidChoiceError, MutableDefinitionError, formatChoices } from './errors.js';
import { collectMutables } from './collect.js';

/**
 * All searchable mutables of a model, addressed by alias: samples, sets and reads whole subnets.
 * Mutables shared by several layers (channel units) appear once.
 */
export class Mutator implements MutatorContract {
  readonly mutables: readonly Mutable[];
  private readonly byAlias = new Map<string, Mutable>();

  constructor(mutables: Iterable<Mutable>) {
    const unique = [...new Set(mutables)];
    for (const m of unique) {
      if (this.byAlias.has(m.alias)) {
        throw new MutableDefinitionError(`Two different mutables share the alias '${m.alias}'; a layer that must share a width should hold the same mutable instance.`, m.alias);
      }
      this.byAlias.set(m.alias, m);
    }
    this.mutables = Object.freeze(unique);
  }

  /** The mutables read by the dynamic ops of `model`, in module order. */
  static fromModule(model: Module): Mutator {
    return new Mutator(collectMutables(model.namedModules().map(([, m]) => m)));
  }

  get aliases(): string[] {
    return [...this.byAlias.keys()];
  }

  has(alias: string): boolean {
    return this.byAlias.has(alias);
  }

  get(alias: string): Mutable {
    const m = this.byAlias.get(alias);
    if (!m) throw this.unknownAlias(alias, alias);
    return m;
  }

  /** The search space: alias -> choices. */
  space(): Record<string, readonly number[]> {
    return Object.fromEntries(this.mutables.map((m) => [m.alias, m.choices]));
  }

  sample(rng: Rng): SubnetChoices {
    for (const m of this.mutables) m.sample(rng);
    return this.current();
  }

  setMax(): SubnetChoices {
    return this.setEach((m) => m.max);
  }

  setMin(): SubnetChoices {
    return this.setEach((m) => m.min);
  }

  current(): SubnetChoices {
    const out: SubnetChoices = {};
    for (const m of this.mutables) out[m.alias] = m.currentChoice;
    return out;
  }

  /**
   * Set the given aliases (others keep their choice). Everything is validated before anything
   * changes, so a bad subnet leaves the model as it was.
   */
  set(choices: SubnetChoices): void {
    const resolved = this.validate(choices);
    for (const [m, v] of resolved) m.currentChoice = v;
  }

  /** Check a subnet against the space; returns each mutable with its resolved choice. */
  validate(choices: SubnetChoices, source = 'subnet'): [Mutable, number][] {
    if (choices === null || typeof choices !== 'object' || Array.isArray(choices)) {
      throw new InvalidChoiceError(`The ${source} must map aliases to choices, got ${JSON.stringify(choices)}.`, '', choices);
    }
    const out: [Mutable, number][] = [];
    for (const [alias, value] of Object.entries(choices)) {
      const m = this.byAlias.get(alias);
      if (!m) throw this.unknownAlias(alias, source);
      const match = m.choices.find((c) => typeof value === 'number' && Math.abs(c - value) <= 1e-9);
      if (match === undefined) {
        throw new InvalidChoiceError(
          `Invalid choice ${JSON.stringify(value)} for '${alias}' in the ${source}: valid choices are ${formatChoices(m.choices)}.`,
          alias,
          value,
          m.choices,
        );
      }
      if (m.isFixed && match !== m.currentChoice) {
        throw new InvalidChoiceError(`'${alias}' is fixed to ${m.currentChoice} but the ${source} asks for ${value}.`, alias, value, [m.currentChoice]);
      }
      out.push([m, match]);
    }
    return out;
  }

  private setEach(pick: (m: Mutable) => number): SubnetChoices {
    for (const m of this.mutables) if (!m.isFixed) m.currentChoice = pick(m);
    return this.current();
  }

  private unknownAlias(alias: string, source: string): InvalidChoiceError {
    const near = nearestNames(alias, this.aliases);
    return new InvalidChoiceError(
      `Unknown alias '${alias}' in the ${source}.` +
        (near.length ? ` Did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') +
        ` The search space has ${this.aliases.length} aliases: ${this.aliases.slice(0, 12).join(', ')}${this.aliases.length > 12 ? ', ...' : ''}.`,
      alias,
      alias,
    );
  }
}
