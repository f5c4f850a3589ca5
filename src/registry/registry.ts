import { closest, distance } from 'fastest-levenshtein';
import { locateError } from '../config/locations.js';
import { UserError } from '../errors.js';

/** JSON schema of a registered class's config (its own keys; `type` is implied). */
export type JsonSchema = Record<string, unknown>;

/** A config object that names a registered class: `{type: 'Name', ...kwargs}`. */
export interface TypedConfig {
  type: string;
  [key: string]: unknown;
}

/** Constructor of a registered class: the validated config first, runtime arguments after. */
export type Ctor<T, A extends unknown[] = any[]> = new (cfg: any, ...args: A) => T;

export interface Entry<T> {
  /** Fully qualified key, `namespace/Name` (core classes live in namespace `core`). */
  key: string;
  ctor: Ctor<T>;
  schema: JsonSchema;
}

export interface RegisterOptions {
  schema?: JsonSchema;
  /** Replace an existing registration instead of throwing. */
  override?: boolean;
}

export const CORE_NAMESPACE = 'core';

export class RegistryError extends UserError {
  constructor(message: string, readonly kind: string, readonly value: unknown, readonly suggestions: string[] = []) {
    super(message);
  }
}

/** Qualify a type name: unqualified names resolve to the core namespace. */
export function qualify(type: string): string {
  return type.includes('/') ? type : `${CORE_NAMESPACE}/${type}`;
}

/** Display form of a key: core names without their namespace. */
export function displayName(key: string): string {
  return key.startsWith(`${CORE_NAMESPACE}/`) ? key.slice(CORE_NAMESPACE.length + 1) : key;
}

/** Candidates within a small edit distance of `name` (best first); empty when none is close. */
export function similarNames(name: string, candidates: string[], max = 3): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(3, Math.ceil(name.length / 2));
  return candidates
    .map((c) => ({ c, d: distance(lower, c.toLowerCase()) }))
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, max)
    .map((s) => s.c);
}

/** The registered names nearest to `name` by edit distance (best first); at least one if any exist. */
export function nearestNames(name: string, candidates: string[], max = 3): string[] {
  if (candidates.length === 0) return [];
  const picked = similarNames(name, candidates, max);
  return picked.length > 0 ? picked : [closest(name, candidates)];
}

/** One registry per kind of buildable thing (models, datasets, optimizers, ...). */
export class Registry<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(readonly kind: string) {}

  register(name: string, ctor: Ctor<T>, options: RegisterOptions = {}): void {
    const key = qualify(name);
    if (this.entries.has(key) && !options.override) {
      throw new RegistryError(
        `${this.kind} registry: '${displayName(key)}' is already registered; pass {override: true} to replace it.`,
        this.kind,
        name,
      );
    }
    this.entries.set(key, { key, ctor, schema: options.schema ?? { type: 'object' } });
  }

  has(type: string): boolean {
    return this.entries.has(qualify(type));
  }

  /** Registered names as users write them (core names unqualified). */
  names(): string[] {
    return [...this.entries.keys()].map(displayName).sort();
  }

  get(type: string): Entry<T> {
    if (typeof type !== 'string' || type.length === 0) {
      throw new RegistryError(`${this.kind}: 'type' must be a non-empty string, got ${JSON.stringify(type)}.`, this.kind, type);
    }
    const entry = this.entries.get(qualify(type));
    if (entry) return entry;
    const names = this.names();
    const near = nearestNames(type, names);
    throw new RegistryError(
      `Unknown ${this.kind} type '${type}'.` +
        (near.length ? ` Did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') +
        ` Registered ${this.kind}: ${names.join(', ') || '(none)'}.`,
      this.kind,
      type,
      near,
    );
  }

  /** Build an instance from `{type, ...kwargs}`; extra arguments go to the constructor after the config. */
  build<R extends T = T>(cfg: TypedConfig, ...args: unknown[]): R {
    if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg)) {
      throw new RegistryError(`${this.kind}: expected a mapping with a 'type' key, got ${JSON.stringify(cfg)}.`, this.kind, cfg);
    }
    const entry = this.get(cfg.type);
    try {
      return new entry.ctor(cfg, ...args) as R;
    } catch (err) {
      throw locateError(err, cfg);
    }
  }
}
