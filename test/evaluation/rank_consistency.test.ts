import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NoCommonKeysError, compareTrack1Files } from '../../src/evaluation/rank_consistency.js';
import { writeTrack1File, type Track1Entry } from '../../src/track1/index.js';
import { tempDir } from '../track1/helpers.js';

const CODE = '1252233313000000223212122253130000000000006515000000';
const file = (accs: Record<string, number>): Track1Entry[] => Object.entries(accs).map(([key, acc]) => ({ key, value: { arch: CODE, acc } }));
const tool = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'tools/analysis/rank_consistency.ts', ...args], { encoding: 'utf8' });

describe('rank consistency of two Track-1 files', () => {
  // Common keys a..e: pred [12, 2, 1, 12, 2] vs truth [1, 4, 7, 1, 0] (tau-b = -4 / sqrt(72)).
  const pred = file({ x: 0.9, a: 12, b: 2, c: 1, d: 12, e: 2 });
  const truth = file({ e: 0, d: 1, c: 7, b: 4, a: 1, y: 0.1, z: 0.2 });

  it('pairs common keys and lists keys missing from either side', () => {
    const { metrics, pairs } = compareTrack1Files({ path: 'p', entries: pred }, { path: 't', entries: truth });
    expect(pairs.keys).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pairs.onlyInPredicted).toEqual(['x']);
    expect(pairs.onlyInTruth).toEqual(['y', 'z']);
    expect(metrics.n).toBe(5);
    expect(metrics.kendall_tau).toBeCloseTo(-4 / Math.sqrt(72), 12);
    expect(() => compareTrack1Files({ path: 'p', entries: file({ q: 1 }) }, { path: 't', entries: truth })).toThrow(NoCommonKeysError);
  });

  it('CLI: --json prints one object; the table and plot report the same figures', () => {
    const dir = tempDir();
    const [p, t] = [join(dir, 'pred.json'), join(dir, 'gt.json')];
    writeTrack1File(p, pred);
    writeTrack1File(t, truth);
    const json = tool([p, t, '--json', '--plot', join(dir, 'scatter.svg')]);
    expect(json.status).toBe(0);
    const obj = JSON.parse(json.stdout) as Record<string, number>;
    expect(Object.keys(obj)).toEqual(['n', 'kendall_tau', 'pearson', 'abs_pearson', 'spearman']);
    expect(obj.n).toBe(5);
    expect(obj.kendall_tau).toBeCloseTo(-0.47140452079103173, 12);
    expect(obj.abs_pearson).toBe(Math.abs(obj.pearson!));
    expect(json.stderr).toMatch(/1 key\(s\) only in .*pred\.json: "x"/);
    expect(json.stderr).toMatch(/2 key\(s\) only in .*gt\.json: "y", "z"/);
    const svg = readFileSync(join(dir, 'scatter.svg'), 'utf8');
    expect(svg).toContain(`Kendall tau ${obj.kendall_tau!.toFixed(4)}`);
    expect(svg.match(/<circle /g)).toHaveLength(5);
    const table = tool([p, t]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/Kendall tau-b\s+-0\.4714/);
    expect(table.stdout).toMatch(/\|Pearson\|\s+0\.\d{4}/);
    const withCi = JSON.parse(tool([p, t, '--json', '--bootstrap', '200']).stdout) as { kendall_tau_ci: { low: number; high: number; samples: number } };
    expect(withCi.kendall_tau_ci.samples).toBe(200);
    expect(withCi.kendall_tau_ci.low).toBeLessThanOrEqual(withCi.kendall_tau_ci.high);
    expect(tool([p, t, '--bootstrap', '200']).stdout).toMatch(/90 % interval\s+-?\d\.\d{4} \.\. -?\d\.\d{4}/);
    expect(tool([p, t, '--bootstrap', 'many']).status).toBe(2);
  });

  it('CLI: exits 2 on files with no common key or without acc', () => {
    const dir = tempDir();
    const [p, t, u] = [join(dir, 'pred.json'), join(dir, 'gt.json'), join(dir, 'noacc.json')];
    writeTrack1File(p, file({ q: 0.5 }));
    writeTrack1File(t, truth);
    writeTrack1File(u, [{ key: 'a', value: { arch: CODE } }]);
    const none = tool([p, t, '--json']);
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/share no key/);
    const noAcc = tool([u, t]);
    expect(noAcc.status).toBe(2);
    expect(noAcc.stderr).toMatch(/noacc\.json, key "a": missing "acc"/);
  });
});
