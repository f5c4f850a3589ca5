import { readFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
import type { Supernet } from '../../models/types.js';
import type { SubnetChoices } from '../../mutables/types.js';
import { extractSubnetGraph, type SubnetGraph } from '../export/subnet_graph.js';
import { latencyUnits, unitGraph, type LatencyUnit } from './units.js';
import { median, type LatencyTimer, type TimingOptions } from './ort_timer.js';

/** A per-layer latency lookup table as written to JSON by tools/analysis/latency_table.ts. */
export interface LatencyTableFile {
  runtime: string;
  batch: 1;
  /** Median time of running a trivial model: the per-inference cost the runtime adds once. */
  overhead_ms: number;
  /** Median ms of each unit alone, minus overhead_ms (at least 0), by unit key. */
  units: Record<string, number>;
  measured: { at: string; warmup: number; runs: number; rounds: number; host_note?: string };
  /**
   * Affine correction fitted by least squares on subnets measured end to end: predicted =
   * intercept_ms + scale * (sum of unit times). Alone, a unit pays what a network amortises (its
   * output copied out, a cold cache); absent: overhead_ms + the plain sum.
   */
  calibration?: { intercept_ms: number; scale: number; subnets: number };
}

export class LatencyTableError extends UserError {
  override readonly name = 'LatencyTableError';
}

/** Measure every unit not yet in the table (each alone, batch 1), and the runtime's overhead if unset. */
/**
 * Measure every unit (each alone, batch 1) and the runtime's overhead (a trivial model). Each is
 * timed in `rounds` interleaved passes over all of them and the median of the passes' medians
 * kept, so a burst of load from other processes hits one pass of many units, not one unit.
 */
export async function measureUnits(timer: LatencyTimer, units: Iterable<LatencyUnit>, opts: TimingOptions & { rounds: number }): Promise<LatencyTableFile> {
  const todo = new Map<string, LatencyUnit>();
  todo.set('overhead', { kind: 'act', key: 'overhead', c: 1, h: 1, w: 1, act: 'relu' });
  for (const u of units) todo.set(u.key, u);
  const samples = new Map<string, number[]>();
  for (let r = 0; r < opts.rounds; r++) {
    for (const [key, u] of todo) {
      const g = unitGraph(u);
      samples.set(key, [...(samples.get(key) ?? []), await timer.median(g.graph, opts, g.outputDims)]);
    }
  }
  const overhead = median(samples.get('overhead')!);
  const table: Record<string, number> = {};
  for (const [key, v] of samples) if (key !== 'overhead') table[key] = Math.max(0, median(v) - overhead);
  return {
    runtime: timer.runtime, batch: 1, overhead_ms: overhead, units: table,
    measured: { at: new Date().toISOString(), warmup: opts.warmup, runs: opts.runs, rounds: opts.rounds },
  };
}

/** Least-squares intercept and slope of y on x. */
export function fitAffine(x: readonly number[], y: readonly number[]): { intercept: number; slope: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 1;
  return { intercept: my - slope * mx, slope };
}

/**
 * Predicts a subnet's batch-1 latency on the table's runtime: the runtime's overhead plus the
 * table's time of each of its units (no tensors needed; works on a counting-only supernet).
 */
export class LatencyPredictor {
  constructor(readonly table: LatencyTableFile, private readonly source = 'the latency table') {}

  static fromFile(path: string): LatencyPredictor {
    let data: LatencyTableFile;
    try {
      data = JSON.parse(readFileSync(path, 'utf8')) as LatencyTableFile;
    } catch (e) {
      throw new LatencyTableError(`Cannot read the latency table ${path}: ${(e as Error).message}. Build one with tools/analysis/latency_table.ts.`);
    }
    if (typeof data.overhead_ms !== 'number' || typeof data.units !== 'object') {
      throw new LatencyTableError(`${path} is not a latency table (expected overhead_ms and units, as tools/analysis/latency_table.ts writes).`);
    }
    return new LatencyPredictor(data, path);
  }

  predictGraph(graph: SubnetGraph): number {
    const sum = this.unitSum(graph);
    const c = this.table.calibration;
    return c ? c.intercept_ms + c.scale * sum : this.table.overhead_ms + sum;
  }

  /** The plain sum of the table's times of a graph's units. */
  unitSum(graph: SubnetGraph): number {
    let ms = 0;
    for (const u of latencyUnits(graph)) {
      const t = this.table.units[u.key];
      if (t === undefined) {
        throw new LatencyTableError(`${this.source} has no entry for '${u.key}': it was built for another space or from too few sampled subnets; rebuild it with tools/analysis/latency_table.ts for this config.`);
      }
      ms += t;
    }
    return ms;
  }

  /** Predicted ms of a subnet; the supernet's mutator is restored afterwards. */
  predict(supernet: Supernet, choices: SubnetChoices): number {
    const before = supernet.mutator.current();
    try {
      supernet.mutator.set(choices);
      return this.predictGraph(extractSubnetGraph(supernet, { weights: false }).graph);
    } finally {
      supernet.mutator.set(before);
    }
  }
}
