// The ground-truth files: per-seed progress journals and the Track-1 JSONs made from them.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../src/track1/atomic_write.js';

export const GT_DIR = resolve(import.meta.dirname, 'gt');
export const SEEDS = [0, 1] as const;

export interface ProgressLine {
  key: string;
  arch: string;
  acc: number;
  seconds: number;
  macs: number;
  finished_at: string;
}

export const progressFile = (seed: number): string => join(GT_DIR, `progress_seed${seed}.jsonl`);

/** Finished runs of one seed; a line cut short by a kill during the append is ignored. */
export function readProgress(seed: number): ProgressLine[] {
  const path = progressFile(seed);
  if (!existsSync(path)) return [];
  const out: ProgressLine[] = [];
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    try {
      const line = JSON.parse(text) as ProgressLine;
      if (typeof line.key === 'string' && typeof line.acc === 'number' && !out.some((p) => p.key === line.key)) out.push(line);
    } catch {
      // a partial last line: that run is simply not done
    }
  }
  return out;
}

/** Rewrite gt_seed<S>.json (each seed's finished runs) and gt.json (the mean, where every seed finished), in key order. */
export function collectGt(subnets: readonly { key: string; arch: string }[]): { perSeed: number[]; both: number } {
  const bySeed = SEEDS.map((s) => new Map(readProgress(s).map((p) => [p.key, p.acc])));
  SEEDS.forEach((s, i) => {
    const done = subnets.filter((n) => bySeed[i]!.has(n.key));
    writeFileAtomic(join(GT_DIR, `gt_seed${s}.json`), `${JSON.stringify(Object.fromEntries(done.map((n) => [n.key, { arch: n.arch, acc: bySeed[i]!.get(n.key)! }])), null, 1)}\n`);
  });
  const both = subnets.filter((n) => bySeed.every((m) => m.has(n.key)));
  const mean = Object.fromEntries(
    both.map((n) => {
      const accs = bySeed.map((m) => m.get(n.key)!);
      const perSeed = Object.fromEntries(SEEDS.map((s, i) => [`acc_seed${s}`, accs[i]]));
      return [n.key, { arch: n.arch, acc: accs.reduce((a, b) => a + b, 0) / accs.length, ...perSeed }];
    }),
  );
  writeFileAtomic(join(GT_DIR, 'gt.json'), `${JSON.stringify(mean, null, 1)}\n`);
  return { perSeed: bySeed.map((m) => m.size), both: both.length };
}
