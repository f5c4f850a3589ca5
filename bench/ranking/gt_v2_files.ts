// The GT v2 files (bench/ranking/gt_v2/): one progress journal for every (subnet, seed) run, and the
// Track-1 JSONs and statistics made from it. The journal is the only source; every JSON is rebuilt
// from it, so a kill during a write loses nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bootstrapKendall, type BootstrapInterval } from '../../src/evaluation/rank_bootstrap.js';
import { kendallTauB, pearson } from '../../src/evaluation/rank_metrics.js';
import { writeFileAtomic } from '../../src/track1/atomic_write.js';
import { nearPairs, pairsKendall } from './local_kendall.js';

export const GT_V2_DIR = resolve(import.meta.dirname, 'gt_v2');
export const GT_V2_SEEDS = [0, 1, 2, 3] as const;
export const PROGRESS_V2 = join(GT_V2_DIR, 'progress.jsonl');

export interface RunLine {
  key: string;
  arch: string;
  seed: number;
  acc: number;
  seconds: number;
  macs: number;
  finished_at: string;
}

/** Finished runs; a line cut short by a kill during the append is ignored, a repeated (key, seed) keeps the first. */
export function readRuns(path = PROGRESS_V2): RunLine[] {
  if (!existsSync(path)) return [];
  const out: RunLine[] = [];
  const seen = new Set<string>();
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    let line: RunLine;
    try {
      line = JSON.parse(text) as RunLine;
    } catch {
      continue;
    }
    if (typeof line.key !== 'string' || typeof line.seed !== 'number' || typeof line.acc !== 'number') continue;
    const id = `${line.key}/${line.seed}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(line);
  }
  return out;
}

/** MACs ratio below which two GT subnets count as a near pair (bench/ranking/local_kendall.ts). */
export const NEAR_PAIR_RATIO = 1.5;

export interface GtV2Stats {
  runs: number;
  compute_seconds: number;
  subnets_with: Record<string, number>;
  /** Kendall tau-b of seed a against seed b over the subnets both finished, with its 90 % bootstrap interval. */
  seed_pairs: { seeds: [number, number]; n: number; kendall_tau: number; kendall_tau_ci: BootstrapInterval }[];
  mean_seed_pair_kendall: number | null;
  /**
   * The mean of the first half of the seeds against the mean of the second half (seeds 0, 1 against
   * 2, 3), over the subnets that finished all of them: the ceiling of a GT averaged over half the seeds.
   */
  halves: {
    seeds: [number[], number[]]; n: number; kendall_tau: number; kendall_tau_ci: BootstrapInterval;
    /** Pearson of the two halves' means: the ceiling for Pearson-scored rankers. */
    pearson: number;
    /**
     * The same over the pairs of subnets whose MACs differ by less than `ratio` (when the subnets'
     * MACs are given): how well stand-alone training itself orders what FLOPs cannot, the ceiling of
     * a GT built in a narrow MACs band from this many seeds.
     */
    near_pairs?: { ratio: number; pairs: number; kendall_tau: number };
  } | null;
  /**
   * Normal-error model of the ceiling: one run's seed noise (from the seed pairs) and the subnets'
   * true spread (the means' variance less its noise share), in accuracy points, and the Kendall tau
   * they predict, (2/pi) asin(rho) with rho = signal / (signal + noise) variance, for one seed
   * against another and for the halves; and `predicted_oracle_tau`, the tau of a perfect ranker
   * (the noise-free accuracies) against gt.json (the mean of its seeds, rho = sqrt(signal /
   * (signal + noise / seeds))): no method can be expected above it.
   */
  noise_model: { noise_std: number; signal_std: number; predicted_seed_tau: number; predicted_halves_tau: number; predicted_oracle_tau: number } | null;
  /** Spread of the GT means against seed noise, in accuracy points. */
  gt_min: number | null;
  gt_max: number | null;
  gt_std: number | null;
  median_abs_seed_diff: number | null;
}

const median = (v: number[]): number | null => {
  if (v.length === 0) return null;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Rewrite gt_seed<k>.json (each seed's finished runs) and gt.json (the mean over the finished seeds
 * of every subnet with at least `minSeeds` of them, with acc_seed<k> and n_seeds), in key order;
 * return the noise-ceiling statistics.
 */
export function collectGtV2(subnets: readonly { key: string; arch: string; macs?: number }[], minSeeds = 2, dir = GT_V2_DIR, progress = PROGRESS_V2): GtV2Stats {
  const runs = readRuns(progress);
  const bySeed = new Map<number, Map<string, number>>(GT_V2_SEEDS.map((s) => [s, new Map()]));
  for (const r of runs) {
    if (!bySeed.has(r.seed)) bySeed.set(r.seed, new Map());
    bySeed.get(r.seed)!.set(r.key, r.acc);
  }
  const seeds = [...bySeed.keys()].sort((a, b) => a - b);
  for (const s of seeds) {
    const m = bySeed.get(s)!;
    const done = subnets.filter((n) => m.has(n.key));
    writeFileAtomic(join(dir, `gt_seed${s}.json`), `${JSON.stringify(Object.fromEntries(done.map((n) => [n.key, { arch: n.arch, acc: m.get(n.key)! }])), null, 1)}\n`);
  }
  const gt: Record<string, Record<string, unknown>> = {};
  const seedDiffs: number[] = [];
  for (const n of subnets) {
    const accs = seeds.filter((s) => bySeed.get(s)!.has(n.key)).map((s) => [s, bySeed.get(s)!.get(n.key)!] as const);
    if (accs.length < minSeeds) continue;
    const mean = accs.reduce((a, [, v]) => a + v, 0) / accs.length;
    gt[n.key] = { arch: n.arch, acc: mean, n_seeds: accs.length, ...Object.fromEntries(accs.map(([s, v]) => [`acc_seed${s}`, v])) };
    for (let i = 0; i < accs.length; i++) for (let j = i + 1; j < accs.length; j++) seedDiffs.push(100 * Math.abs(accs[i]![1] - accs[j]![1]));
  }
  writeFileAtomic(join(dir, 'gt.json'), `${JSON.stringify(gt, null, 1)}\n`);

  const seedPairs: GtV2Stats['seed_pairs'] = [];
  for (let i = 0; i < seeds.length; i++) {
    for (let j = i + 1; j < seeds.length; j++) {
      const a = bySeed.get(seeds[i]!)!;
      const b = bySeed.get(seeds[j]!)!;
      const keys = subnets.map((n) => n.key).filter((k) => a.has(k) && b.has(k));
      if (keys.length < 3) continue;
      const x = keys.map((k) => a.get(k)!);
      const y = keys.map((k) => b.get(k)!);
      seedPairs.push({ seeds: [seeds[i]!, seeds[j]!], n: keys.length, kendall_tau: kendallTauB(x, y), kendall_tau_ci: bootstrapKendall(x, y, { samples: 1000 }) });
    }
  }
  const means = Object.values(gt).map((e) => 100 * (e.acc as number));
  const avg = means.reduce((a, b) => a + b, 0) / (means.length || 1);
  const variance = (v: number[]): number => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1);
  };
  const halves = seedHalves(subnets, seeds, bySeed);
  // One run's noise variance is half the variance of a seed difference; the mean of k seeds carries 1/k of it.
  const diffs = subnets.flatMap((n) => (bySeed.get(seeds[0]!)?.has(n.key) && bySeed.get(seeds[1]!)?.has(n.key) ? [100 * (bySeed.get(seeds[0]!)!.get(n.key)! - bySeed.get(seeds[1]!)!.get(n.key)!)] : []));
  let noiseModel: GtV2Stats['noise_model'] = null;
  if (diffs.length >= 3 && means.length >= 3) {
    const noise = diffs.reduce((a, d) => a + d * d, 0) / diffs.length / 2;
    const meanSeeds = Object.values(gt).reduce((a, e) => a + (e.n_seeds as number), 0) / means.length;
    const signal = Math.max(0, variance(means) - noise / meanSeeds);
    const tau = (perRunNoiseShare: number): number => (2 / Math.PI) * Math.asin(signal / (signal + noise * perRunNoiseShare));
    const oracle = (2 / Math.PI) * Math.asin(Math.sqrt(signal / (signal + noise / meanSeeds)));
    noiseModel = { noise_std: Math.sqrt(noise), signal_std: Math.sqrt(signal), predicted_seed_tau: tau(1), predicted_halves_tau: tau(2 / GT_V2_SEEDS.length), predicted_oracle_tau: oracle };
  }
  return {
    runs: runs.length,
    compute_seconds: runs.reduce((a, r) => a + r.seconds, 0),
    subnets_with: Object.fromEntries(seeds.map((s) => [`seed${s}`, bySeed.get(s)!.size])),
    seed_pairs: seedPairs,
    mean_seed_pair_kendall: seedPairs.length ? seedPairs.reduce((a, p) => a + p.kendall_tau, 0) / seedPairs.length : null,
    halves,
    noise_model: noiseModel,
    gt_min: means.length ? Math.min(...means) : null,
    gt_max: means.length ? Math.max(...means) : null,
    gt_std: means.length > 1 ? Math.sqrt(means.reduce((a, v) => a + (v - avg) ** 2, 0) / (means.length - 1)) : null,
    median_abs_seed_diff: median(seedDiffs),
  };
}

/** Kendall tau of the first half of GT_V2_SEEDS' mean against the second half's, where every seed finished. */
function seedHalves(subnets: readonly { key: string; macs?: number }[], seeds: number[], bySeed: Map<number, Map<string, number>>): GtV2Stats['halves'] {
  const all = GT_V2_SEEDS.filter((s) => seeds.includes(s));
  if (all.length < GT_V2_SEEDS.length) return null;
  const first = all.slice(0, all.length / 2);
  const second = all.slice(all.length / 2);
  const keys = subnets.map((n) => n.key).filter((k) => all.every((s) => bySeed.get(s)!.has(k)));
  if (keys.length < 3) return null;
  const mean = (k: string, group: number[]) => group.reduce((a, s) => a + bySeed.get(s)!.get(k)!, 0) / group.length;
  const x = keys.map((k) => mean(k, first));
  const y = keys.map((k) => mean(k, second));
  const macsOf = new Map(subnets.map((n) => [n.key, n.macs]));
  const macs = keys.map((k) => macsOf.get(k));
  let near: NonNullable<GtV2Stats['halves']>['near_pairs'];
  if (macs.every((m): m is number => typeof m === 'number')) {
    const pairs = nearPairs(macs, NEAR_PAIR_RATIO);
    near = { ratio: NEAR_PAIR_RATIO, pairs: pairs.length, kendall_tau: pairsKendall(x, y, pairs) };
  }
  return { seeds: [first, second], n: keys.length, kendall_tau: kendallTauB(x, y), pearson: pearson(x, y), kendall_tau_ci: bootstrapKendall(x, y, { samples: 1000 }), ...(near ? { near_pairs: near } : {}) };
}
