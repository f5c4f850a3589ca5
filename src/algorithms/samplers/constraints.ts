import type { Complexity } from '../../models/types.js';

/** Inclusive [lo, hi] bounds; null leaves that side open. */
export type Bounds = [number | null, number | null];

/** Complexity ranges a sampled subnet must lie in (config key `constraints`). */
export interface ComplexityConstraints {
  macs?: Bounds;
  params?: Bounds;
}

const BOUNDS_SCHEMA = {
  type: 'array',
  minItems: 2,
  maxItems: 2,
  items: { type: ['number', 'null'] },
};

export const CONSTRAINTS_SCHEMA = {
  type: 'object',
  description: 'Resample until the subnet complexity lies in these inclusive ranges (null: open side).',
  properties: {
    macs: { ...BOUNDS_SCHEMA, description: 'Multiply-accumulates [lo, hi] of the subnet.' },
    params: { ...BOUNDS_SCHEMA, description: 'Trainable parameters [lo, hi] of the subnet.' },
  },
  additionalProperties: false,
};

/** Raised when no subnet meeting the constraints is found, or the ranges cannot be met at all (the config's fault, exit 2). */
export class SamplingConstraintError extends Error {
  readonly isUserError = true;
  constructor(message: string, readonly constraints: ComplexityConstraints, readonly space: { min: Complexity; max: Complexity }) {
    super(message);
    this.name = 'SamplingConstraintError';
  }

  /** Below the sampler's config (locateError). */
  readonly configKey = 'constraints';
}

type Key = keyof Complexity;
const KEYS: Key[] = ['macs', 'params'];

export function formatBounds([lo, hi]: Bounds): string {
  return `[${lo ?? '-inf'}, ${hi ?? 'inf'}]`;
}

export function describeConstraints(c: ComplexityConstraints): string {
  return KEYS.filter((k) => c[k]).map((k) => `${k} in ${formatBounds(c[k]!)}`).join(' and ');
}

export function describeSpace(space: { min: Complexity; max: Complexity }): string {
  return KEYS.map((k) => `${k} [${space.min[k]}, ${space.max[k]}]`).join(', ');
}

export function satisfies(c: Complexity, constraints: ComplexityConstraints): boolean {
  return KEYS.every((k) => {
    const b = constraints[k];
    if (!b) return true;
    const [lo, hi] = b;
    return (lo === null || c[k] >= lo) && (hi === null || c[k] <= hi);
  });
}

/**
 * Why the constraints cannot be met by any subnet of a space whose complexity spans
 * [min, max] (complexity grows with every choice, so the extremes bound it), or null.
 */
export function impossibility(constraints: ComplexityConstraints, space: { min: Complexity; max: Complexity }): string | null {
  for (const k of KEYS) {
    const b = constraints[k];
    if (!b) continue;
    const [lo, hi] = b;
    if (lo !== null && hi !== null && lo > hi) return `the ${k} range ${formatBounds(b)} is empty (lo > hi)`;
    if (lo !== null && lo > space.max[k]) return `the ${k} range ${formatBounds(b)} lies above the largest subnet (${space.max[k]})`;
    if (hi !== null && hi < space.min[k]) return `the ${k} range ${formatBounds(b)} lies below the smallest subnet (${space.min[k]})`;
  }
  return null;
}
