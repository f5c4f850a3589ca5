// The GT v2 files (bench/ranking/gt_v2/): one progress journal for every (subnet, seed) run, and the
// Track-1 JSONs and statistics made from it. The journal is the only source; every JSON is rebuilt
// from it, so a kill during a write loses nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bootstrapKendall, type BootstrapInterval } from '../../src/evaluation/rank_bootstrap.js';
import { kendallTauB } from '../../src/evaluation/rank_metrics.js';
import { writeFileAtomic } from '../../src/track1/atomic_write.js';

export const GT_V2_DIR = resolve(import.meta.dirname, 'gt_v2');
export const GT_V2_SEEDS = [0, 1, 2] as const;
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

export interface GtV2Stats {
  runs: number;
  compute_seconds: number;
  subnets_with: Record<string, number>;
  /** Kendall tau-b of seed a against seed b over the subnets both finished, with its 90 % bootstrap interval. */
  seed_pairs: { seeds: [number, number]; n: number; kendall_tau: number; kendall_tau_ci: BootstrapInterval }[];
  mean_seed_pair_kendall: number | null;
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
export function collectGtV2(subnets: readonly { key: string; arch: string }[], minSeeds = 2, dir = GT_V2_DIR, progress = PROGRESS_V2): GtV2Stats {
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
  return {
    runs: runs.length,
    compute_seconds: runs.reduce((a, r) => a + r.seconds, 0),
    subnets_with: Object.fromEntries(seeds.map((s) => [`seed${s}`, bySeed.get(s)!.size])),
    seed_pairs: seedPairs,
    mean_seed_pair_kendall: seedPairs.length ? seedPairs.reduce((a, p) => a + p.kendall_tau, 0) / seedPairs.length : null,
    gt_min: means.length ? Math.min(...means) : null,
    gt_max: means.length ? Math.max(...means) : null,
    gt_std: means.length > 1 ? Math.sqrt(means.reduce((a, v) => a + (v - avg) ** 2, 0) / (means.length - 1)) : null,
    median_abs_seed_diff: median(seedDiffs),
  };
}
