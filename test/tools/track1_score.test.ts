import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { main as scoreMain } from '../../tools/track1/score.js';
import { main as testMain } from '../../tools/test.js';
import { lastJson, sink, writeTinyFixture } from './fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const official = JSON.parse(readFileSync('data/track1/CVPR_2022_NAS_Track1_test.json', 'utf8')) as Record<string, { arch: string; acc: number }>;

/** The tiny Track-1 fixture and an archs file with the first `count` official codes. */
function fixtureWithArchs(count: number) {
  const fx = writeTinyFixture('track1');
  const keys = Object.keys(official).slice(0, count);
  const archs = join(fx.dir, 'archs.json');
  writeFileSync(archs, JSON.stringify(Object.fromEntries(keys.map((k) => [k, official[k]]))));
  return { fx, keys, archs };
}

describe('tools/track1/score.ts', () => {
  it('fills acc for a shard keeping keys and order, equals tools/test.ts --arch, and resumes as a no-op', async () => {
    const { fx, keys, archs } = fixtureWithArchs(6);
    const out = join(fx.dir, 'scored_0.json');
    const common = [fx.config, fx.checkpoint, '--calib-samples', '16', '--val-samples', '16', '--backend', 'cpu'];
    const o1 = sink();
    expect(await scoreMain([...common, '--archs', archs, '--out', out, '--shard', '0/2'], o1)).toBe(0);
    const report = lastJson(o1.text) as { scored: number; seconds_per_subnet: Record<string, number> };
    expect(report.scored).toBe(3);
    expect(report.seconds_per_subnet.calibrate).toBeGreaterThan(0);
    const scored = JSON.parse(readFileSync(out, 'utf8')) as Record<string, { arch: string; acc: number }>;
    expect(Object.keys(scored)).toEqual([keys[0], keys[2], keys[4]]);
    for (const [k, v] of Object.entries(scored)) {
      expect(v.arch).toBe(official[k]!.arch);
      expect(v.acc).toBeGreaterThanOrEqual(0);
      expect(v.acc).toBeLessThanOrEqual(1);
      expect(Math.round(v.acc * 16)).toBeCloseTo(v.acc * 16, 6);
    }
    const o2 = sink();
    await testMain([...common, '--arch', official[keys[2]!]!.arch], o2);
    expect((lastJson(o2.text).metrics as Record<string, number>).top1).toBe(scored[keys[2]!]!.acc);

    const o3 = sink();
    expect(await scoreMain([...common, '--archs', archs, '--out', out, '--shard', '0/2'], o3)).toBe(0);
    expect(lastJson(o3.text)).toMatchObject({ scored: 0, resumed: 3 });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(scored);
  });

  it('--score likelihood writes exp(-mean validation cross-entropy) with its own progress file', async () => {
    const { fx, archs } = fixtureWithArchs(3);
    const out = join(fx.dir, 'scored.json');
    const common = [fx.config, fx.checkpoint, '--calib-samples', '16', '--val-samples', '16', '--backend', 'cpu', '--archs', archs, '--out', out];
    expect(await scoreMain([...common, '--score', 'likelihood'], sink())).toBe(0);
    const scored = JSON.parse(readFileSync(out, 'utf8')) as Record<string, { acc: number }>;
    for (const v of Object.values(scored)) {
      expect(v.acc).toBeGreaterThan(0);
      expect(v.acc).toBeLessThan(1);
    }
    // A likelihood is continuous: not a top-1 fraction of the 16 validation images.
    expect(Object.values(scored).some((v) => Math.abs(v.acc * 16 - Math.round(v.acc * 16)) > 1e-6)).toBe(true);
    expect(existsSync(`${out}.likelihood.progress.jsonl`)).toBe(true);
    expect(existsSync(`${out}.progress.jsonl`)).toBe(false);
    await expect(scoreMain([...common, '--score', 'loss'], sink())).rejects.toThrow(/--score must be 'top1'.*got 'loss'/);
  });
});
