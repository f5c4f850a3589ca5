import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as complexity } from '../../tools/analysis/complexity.js';
import { loadConfig } from '../../src/cli/load_config.js';
import { spaceOf, stratifiedSample, trainingOrder } from '../../bench/ranking/gt_subnets.js';

const MINI = 'configs/bench/gt_standalone.yaml';
const GT_V2 = 'configs/bench/gt_v2_standalone.yaml';
const MAX = '1' + '333' + '1' + '111111' + '111111' + '111111';
const MIN = '1' + '111' + '7' + '7700' + '00' + '7700' + '00' + '770000';

function capture(): { text: () => string; write: (t: string) => void } {
  let buf = '';
  return { text: () => buf, write: (t: string) => { buf += t; } };
}

describe('mini Track-1 space codes in the tools', () => {
  it('complexity.ts reads codes in the configured space (max and min codes = --max and --min)', async () => {
    const out = capture();
    await complexity([MINI, '--max', '--min', '--arch', MAX, '--arch', MIN], out);
    const [max, min, codeMax, codeMin] = out.text().trim().split('\n').map((l) => JSON.parse(l));
    expect({ macs: codeMax.macs, params: codeMax.params }).toEqual({ macs: max.macs, params: max.params });
    expect({ macs: codeMin.macs, params: codeMin.params }).toEqual({ macs: min.macs, params: min.params });
    const dir = mkdtempSync(join(tmpdir(), 'mini-cx-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ arch1: { arch: MIN }, arch2: { arch: MAX } }));
    await complexity([MINI, '--archs', join(dir, 'a.json'), '--out', join(dir, 'o.json')], capture(), capture());
    const o = JSON.parse(readFileSync(join(dir, 'o.json'), 'utf8'));
    expect([o.arch1.macs, o.arch2.macs]).toEqual([min.macs, max.macs]);
    await expect(complexity([MINI, '--arch', MAX.slice(0, 20)], capture())).rejects.toThrow(/expected 23/);
  });

  it('the GT sample is seeded, distinct, keyed in MACs order, and its MACs are the supernet ones', async () => {
    const { config } = await loadConfig(MINI);
    const { net, space } = await spaceOf(config, MINI);
    const a = stratifiedSample(net, space, { count: 10, seed: 3, poolSize: 500 });
    const b = stratifiedSample(net, space, { count: 10, seed: 3, poolSize: 500 });
    expect(a).toEqual(b);
    expect(a.map((s) => s.key)).toEqual(Array.from({ length: 10 }, (_, i) => `arch${i + 1}`));
    expect(new Set(a.map((s) => s.arch)).size).toBe(10);
    for (let i = 1; i < a.length; i++) expect(a[i]!.macs).toBeGreaterThanOrEqual(a[i - 1]!.macs);
    for (const s of a) {
      net.mutator.set(space.decode(s.arch));
      expect(net.complexity().macs).toBe(s.macs);
    }
    expect(trainingOrder(a, 0).map((s) => s.key).sort()).toEqual(a.map((s) => s.key).sort());
  });

  it('the capacity pool with log strata spans the space: wider MACs range, log-even strata, mixed choices', async () => {
    const { config } = await loadConfig(GT_V2);
    const { net, space } = await spaceOf(config, GT_V2);
    const uniform = stratifiedSample(net, space, { count: 20, seed: 1, poolSize: 1000 });
    const spread = stratifiedSample(net, space, { count: 20, seed: 1, poolSize: 1000, scale: 'log', pool: 'capacity' });
    expect(stratifiedSample(net, space, { count: 20, seed: 1, poolSize: 1000, scale: 'log', pool: 'capacity' })).toEqual(spread);
    const range = (s: typeof spread) => s.at(-1)!.macs / s[0]!.macs;
    expect(range(spread)).toBeGreaterThan(2 * range(uniform));
    // log strata: the sample's median sits near the geometric middle of its range, not the arithmetic one
    const mid = spread[10]!.macs;
    const geo = Math.sqrt(spread[0]!.macs * spread.at(-1)!.macs);
    expect(Math.abs(Math.log(mid / geo))).toBeLessThan(Math.log(range(spread)) / 4);
    // choices stay mixed: no sampled code is all one width digit
    for (const s of spread.slice(2, -2)) expect(new Set(s.arch.slice(4).replace(/0/g, '')).size).toBeGreaterThan(1);
  });
});
