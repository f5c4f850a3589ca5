import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/engine/losses.js';
import { SPOS } from '../../src/algorithms/spos.js';
import { SubspaceSampler, fewShotSplit, subSupernetOf, SamplerConfigError } from '../../src/algorithms/samplers/index.js';
import { encodeCheckpoint, type TensorData } from '../../src/engine/checkpoint.js';
import { Rng } from '../../src/services/rng.js';
import { TinySupernet } from './tiny_supernet.js';

describe('few-shot split', () => {
  const net = new TinySupernet({ widths: [2, 3, 4], depths: [1, 2, 3] });

  it('puts every subnet of the space in exactly one sub-supernet, the one holding its depth', () => {
    const split = fewShotSplit(net, 'depth');
    expect(split).toEqual([{ depth: 1 }, { depth: 2 }, { depth: 3 }]);
    for (const w of [2, 3, 4]) for (const d of [1, 2, 3]) expect(subSupernetOf(split, { 'hidden.out_channels': w, depth: d })).toBe(d - 1);
    expect(() => subSupernetOf([{ depth: 1 }, { depth: 1 }], { depth: 1 })).toThrow(SamplerConfigError);
    expect(() => subSupernetOf([{ depth: 1 }], { depth: 2 })).toThrow(SamplerConfigError);
    expect(() => fewShotSplit(net, 'stage9.depth')).toThrow(SamplerConfigError);
  });

  it("a sub-supernet's sampler holds the split choice and still draws every other choice", () => {
    const sampler = new SubspaceSampler({ fixed: { depth: 2 } });
    const ctx = { epoch: 0, rng: new Rng(1) };
    const draws = Array.from({ length: 200 }, () => sampler.sample(net, ctx));
    expect(draws.every((d) => d.depth === 2)).toBe(true);
    expect(new Set(draws.map((d) => d['hidden.out_channels']))).toEqual(new Set([2, 3, 4]));
    expect(sampler.max(net, ctx)).toEqual({ 'hidden.out_channels': 4, depth: 2 });
    expect(sampler.min(net, ctx)).toEqual({ 'hidden.out_channels': 2, depth: 2 });
    expect(() => new SubspaceSampler({ fixed: { depth: 5 } }).sample(net, ctx)).toThrow(/choices are 1, 2, 3/);
  });

  it('a sub-supernet starts from the one-shot weights (SPOS init_checkpoint)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfrazor-fs-'));
    const oneShot = new TinySupernet({ seed: 9 });
    const tensors: Record<string, TensorData> = {};
    for (const [k, v] of Object.entries(oneShot.stateDict())) tensors[`architecture.${k}`] = { dtype: 'float32', shape: v.shape, values: v.dataSync() as Float32Array };
    const ckpt = join(dir, 'one_shot.ckpt');
    writeFileSync(ckpt, encodeCheckpoint({ meta: { epoch: 2, iter: 20, time: '', version: 1 }, tensors, state: {} }));
    const algo = new SPOS({ architecture: { type: 'test/TinySupernet', seed: 1 }, sampler: { type: 'SubspaceSampler', fixed: { depth: 1 } }, init_checkpoint: ckpt });
    const got = algo.architecture.stateDict();
    for (const [k, v] of Object.entries(oneShot.stateDict())) expect(Array.from(got[k]!.dataSync())).toEqual(Array.from(v.dataSync()));
    algo.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
});
