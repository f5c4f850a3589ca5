import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectGtV2, readRuns } from '../../bench/ranking/gt_v2_files.js';
import { nearPairs } from '../../bench/ranking/local_kendall.js';
import { kendallTauB } from '../../src/evaluation/rank_metrics.js';
import { Rng } from '../../src/services/rng.js';

/** A progress journal of `n` subnets whose true top-1 is spread `signal` points, each run off by N(0, noise) points. */
function journal(n: number, seeds: number[], signal: number, noise: number): { dir: string; subnets: { key: string; arch: string; truth: number }[] } {
  const dir = mkdtempSync(join(tmpdir(), 'gt-v2-'));
  const rng = new Rng('gt-v2-files');
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.random())) * Math.cos(2 * Math.PI * rng.random());
  const subnets = Array.from({ length: n }, (_, i) => ({ key: `arch${i + 1}`, arch: String(i), truth: 85 + signal * gauss() }));
  const lines = subnets.flatMap((s) => seeds.map((seed) => JSON.stringify({ key: s.key, arch: s.arch, seed, acc: (s.truth + noise * gauss()) / 100, seconds: 10, macs: 1, finished_at: '' })));
  writeFileSync(join(dir, 'progress.jsonl'), `${lines.join('\n')}\n{"key":"arch1","se`);
  return { dir, subnets };
}

describe('GT v2 files and noise ceiling', () => {
  it('ignores a line cut short by a kill and keeps the first of a repeated (key, seed)', () => {
    const { dir } = journal(3, [0], 1, 0);
    const path = join(dir, 'progress.jsonl');
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n${JSON.stringify({ key: 'arch1', seed: 0, acc: 0.5 })}\n`);
    const runs = readRuns(path);
    expect(runs).toHaveLength(3);
    expect(runs[0]!.acc).not.toBe(0.5);
  });

  it('gt.json is the mean of the finished seeds; the halves need all four seeds', () => {
    const two = journal(20, [0, 1], 2, 0.3);
    const s2 = collectGtV2(two.subnets, 2, two.dir, join(two.dir, 'progress.jsonl'));
    expect(s2.halves).toBeNull();
    expect(s2.seed_pairs).toHaveLength(1);
    const gt = JSON.parse(readFileSync(join(two.dir, 'gt.json'), 'utf8'));
    expect(gt.arch1.acc).toBeCloseTo((gt.arch1.acc_seed0 + gt.arch1.acc_seed1) / 2, 12);
    const four = journal(20, [0, 1, 2, 3], 2, 0.3);
    const s4 = collectGtV2(four.subnets, 2, four.dir, join(four.dir, 'progress.jsonl'));
    expect(s4.halves?.seeds).toEqual([[0, 1], [2, 3]]);
    expect(s4.halves?.n).toBe(20);
    expect(s4.halves?.near_pairs).toBeUndefined();
  });

  it('with MACs, the halves are also compared on near pairs only: exact without noise, lower with it', () => {
    // MACs 1.0, 1.1, 1.2, ...: neighbours are near pairs (within 1.5x), the ends are not.
    const clean = journal(20, [0, 1, 2, 3], 2, 0);
    const withMacs = (subnets: { key: string; arch: string }[]) => subnets.map((n, i) => ({ ...n, macs: 1e6 * (1 + 0.1 * i) }));
    const exact = collectGtV2(withMacs(clean.subnets), 2, clean.dir, join(clean.dir, 'progress.jsonl')).halves!.near_pairs!;
    expect(exact.ratio).toBe(1.5);
    expect(exact.pairs).toBe(nearPairs(withMacs(clean.subnets).map((n) => n.macs), 1.5).length);
    expect(exact.pairs).toBeLessThan((20 * 19) / 2);
    expect(exact.kendall_tau).toBe(1);
    expect(collectGtV2(clean.subnets, 2, clean.dir, join(clean.dir, 'progress.jsonl')).halves!.pearson).toBeCloseTo(1, 12);
    const noisy = journal(20, [0, 1, 2, 3], 2, 1);
    expect(collectGtV2(withMacs(noisy.subnets), 2, noisy.dir, join(noisy.dir, 'progress.jsonl')).halves!.near_pairs!.kendall_tau).toBeLessThan(0.9);
  });

  it('the noise model recovers the injected noise and signal and predicts the measured ceiling', () => {
    const { dir, subnets } = journal(400, [0, 1, 2, 3], 1.5, 0.5);
    const s = collectGtV2(subnets, 2, dir, join(dir, 'progress.jsonl'));
    expect(s.noise_model!.noise_std).toBeGreaterThan(0.45);
    expect(s.noise_model!.noise_std).toBeLessThan(0.55);
    expect(s.noise_model!.signal_std).toBeGreaterThan(1.35);
    expect(s.noise_model!.signal_std).toBeLessThan(1.65);
    // rho = 2.25 / 2.5 = 0.9 for one seed against another: tau = (2/pi) asin(0.9) = 0.713
    expect(s.noise_model!.predicted_seed_tau).toBeCloseTo(0.713, 1);
    expect(s.mean_seed_pair_kendall!).toBeCloseTo(s.noise_model!.predicted_seed_tau, 1);
    expect(s.halves!.kendall_tau).toBeCloseTo(s.noise_model!.predicted_halves_tau, 1);
    expect(s.halves!.kendall_tau).toBeGreaterThan(s.mean_seed_pair_kendall!);
    // the oracle: rho = sqrt(2.25 / (2.25 + 0.25 / 4)) = 0.986, tau = 0.894
    expect(s.noise_model!.predicted_oracle_tau).toBeCloseTo(0.894, 1);
    const gt = JSON.parse(readFileSync(join(dir, 'gt.json'), 'utf8')) as Record<string, { acc: number }>;
    const oracleTau = kendallTauB(subnets.map((n) => n.truth), subnets.map((n) => gt[n.key]!.acc));
    expect(oracleTau).toBeCloseTo(s.noise_model!.predicted_oracle_tau, 1);
  });
});
