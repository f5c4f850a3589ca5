import { UserError } from '../errors.js';
import type { Complexity } from '../models/types.js';
import type { SearchComplexity, SearchConstraints } from './types.js';

export const CONSTRAINTS_SCHEMA = {
  type: 'object',
  description: 'Inclusive [min, max] ranges of complexity; a candidate outside is rejected before it is scored.',
  properties: {
    macs: {
      description: 'Multiply-accumulates range [min, max] (TRACK1.md convention, at the configured input size).',
      type: 'array',
      items: { type: 'number', minimum: 0 },
      minItems: 2,
      maxItems: 2,
    },
    params: {
      description: 'Trainable parameter count range [min, max].',
      type: 'array',
      items: { type: 'number', minimum: 0 },
      minItems: 2,
      maxItems: 2,
    },
    latency_ms: {
      description: 'Predicted batch-1 latency range [min, max] in milliseconds, from the lookup table search_cfg.latency_table (tools/analysis/latency_table.ts).',
      type: 'array',
      items: { type: 'number', minimum: 0 },
      minItems: 2,
      maxItems: 2,
    },
  },
  additionalProperties: false,
  default: {},
};

export class ConstraintError extends UserError {
  override readonly name = 'ConstraintError';
}

/** Throws if a range is reversed (a typo that would otherwise reject every candidate silently). */
export function checkConstraints(constraints: SearchConstraints): void {
  for (const [key, range] of Object.entries(constraints) as [string, [number, number] | undefined][]) {
    if (range && range[0] > range[1]) {
      throw new ConstraintError(`search_cfg.searcher.constraints.${key} is [${range}]: its min is above its max.`);
    }
  }
}

/**
 * Throws if no subnet of a space whose complexity spans [min, max] can meet the constraints (a
 * units slip such as MACs in millions), before any data is loaded or candidate scored.
 */
export function checkFeasible(constraints: SearchConstraints, space: { min: Complexity; max: Complexity }, where = 'search_cfg.searcher.constraints'): void {
  for (const key of ['macs', 'params'] as const) {
    const range = constraints[key];
    if (!range) continue;
    const side = range[1] < space.min[key] ? `below the smallest subnet (${space.min[key].toLocaleString('en-US')})` : range[0] > space.max[key] ? `above the largest subnet (${space.max[key].toLocaleString('en-US')})` : undefined;
    if (side) {
      throw new ConstraintError(
        `${where}.${key} is [${range.join(', ')}], which lies ${side}: no subnet can meet it. The space spans macs ` +
          `[${space.min.macs.toLocaleString('en-US')}, ${space.max.macs.toLocaleString('en-US')}] and params [${space.min.params.toLocaleString('en-US')}, ` +
          `${space.max.params.toLocaleString('en-US')}] (plain counts, not millions); widen the range.`,
      );
    }
  }
}

export function satisfies(c: SearchComplexity, constraints: SearchConstraints): boolean {
  const { macs, params, latency_ms: latency } = constraints;
  if (macs && (c.macs < macs[0] || c.macs > macs[1])) return false;
  if (params && (c.params < params[0] || c.params > params[1])) return false;
  if (latency) {
    if (c.latency_ms === undefined) {
      throw new ConstraintError('search_cfg.searcher.constraints.latency_ms needs a latency predictor: set search_cfg.latency_table to a table written by tools/analysis/latency_table.ts.');
    }
    if (c.latency_ms < latency[0] || c.latency_ms > latency[1]) return false;
  }
  return true;
}

export function describeConstraints(constraints: SearchConstraints): string {
  const parts = Object.entries(constraints)
    .filter(([, r]) => r)
    .map(([k, r]) => `${k} in [${(r as number[]).map((v) => v.toLocaleString('en-US')).join(', ')}]`);
  return parts.length ? parts.join(' and ') : 'no constraints';
}
