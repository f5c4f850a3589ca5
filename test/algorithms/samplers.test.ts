import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/services/rng.js';
import { SAMPLERS } from '../../src/registry/registries.js';
import {
  ChannelWarmupSampler,
  SamplingConstraintError,
  SamplerConfigError,
  CHANNEL_WARMUP_SAMPLER_SCHEMA,
  UniformSampler,
  linearAllowedCount,
  type SubnetSampler,
} from '../../src/algorithms/samplers/index.js';
import { MutableValue } from '../../src/mutables/mutable_value.js';
import { TinySupernet } from './tiny_supernet.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import '../../src/models/index.js';
import { buildContext } from '../../src/models/ops/build_context.js';
import type { Supernet } from '../../src/models/types.js';
import { MODELS } from '../../src/registry/registries.js';
import type { SubnetChoices } from '../../src/mutables/types.js';

const ctx = (epoch: number, rng = new Rng(5)) => ({ epoch, rng });

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
}

function jointCounts(draw: () => SubnetChoices, cells: string[], n: number): number[] {
  const counts = new Map(cells.map((c) => [c, 0]));
  for (let i = 0; i < n; i++) {
    const key = JSON.stringify(draw());
    expect(counts.has(key), key).toBe(true);
    counts.set(key, counts.get(key)! + 1);
  }
  return [...counts.values()];
}

// Uniformity is tested with a seeded chi-square test whose threshold is the 0.999 quantile of the
// chi-square distribution (scipy.stats.chi2.isf): a uniform sampler fails it for one seed in 1000,
// and a sampler that returns the max subnet 5% of the time (and is uniform otherwise) adds about
// N * 5 * 0.05^2 = 75 (6 cells, N = 6000) to the statistic, far above the threshold.
const CHI2_999 = { df2: 13.82, df5: 20.52 };

describe('UniformSampler', () => {
  it('draws the 6 subnets of a space uniformly (seeded chi-square, p = 0.001)', () => {
    const net = new TinySupernet({ widths: [2, 3, 4], depths: [1, 2] });
    const cells = [2, 3, 4].flatMap((w) => [1, 2].map((d) => JSON.stringify({ 'hidden.out_channels': w, depth: d })));
    const s = new UniformSampler();
    const c = ctx(0, new Rng(2024));
    const uniform = chiSquare(jointCounts(() => s.sample(net, c), cells, 6000));
    expect(uniform).toBeLessThan(CHI2_999.df5);
    // The same test on a sampler biased towards the max subnet (5% extra) fails: the test has power.
    const biased = (() => {
      const r = new Rng(2024);
      const bc = ctx(0, r);
      return () => (r.random() < 0.05 ? s.max(net, bc) : s.sample(net, bc));
    })();
    expect(chiSquare(jointCounts(biased, cells, 6000))).toBeGreaterThan(2 * CHI2_999.df5);
    net.dispose();
  });

  it('draws every choice of each of the 31 Track-1 mutables uniformly (chi-square per mutable, Bonferroni)', () => {
    const cfg = (parse(readFileSync('configs/_base_/supernets/resnet48_track1.yaml', 'utf8')) as { model: { architecture: { type: string } } }).model.architecture;
    const net = MODELS.build<Supernet>(cfg, { ctx: buildContext({ allocate: false }) });
    const mutables = net.mutator.mutables;
    expect(mutables).toHaveLength(31);
    const counts = mutables.map((m) => new Map(m.choices.map((ch) => [ch, 0])));
    const s = new UniformSampler();
    const c = ctx(0, new Rng(7));
    const n = 3500;
    for (let i = 0; i < n; i++) {
      const draw = s.sample(net, c);
      mutables.forEach((m, k) => counts[k]!.set(draw[m.alias]!, counts[k]!.get(draw[m.alias]!)! + 1));
    }
    // 0.999 quantiles with Bonferroni over the 31 tests (chi2.isf(0.001 / 31, df)): 4 depth choices
    // (df 3) or 7 ratios (df 6); every stage depth has 4 choices except stage 3 (7).
    const critical: Record<number, number> = { 3: 23.47, 6: 30.45 };
    for (const [k, m] of mutables.entries()) {
      const observed = [...counts[k]!.values()];
      expect(observed.reduce((a, b) => a + b, 0)).toBe(n);
      expect(chiSquare(observed), m.alias).toBeLessThan(critical[observed.length - 1]!);
    }
  });

  it('draws every choice, returns choices without changing the active subnet', () => {
    const net = new TinySupernet({ widths: [2, 3, 4], depths: [1, 2] });
    const s = SAMPLERS.build<SubnetSampler>({ type: 'UniformSampler' });
    net.mutator.setMin();
    const seen = new Set<string>();
    const c = ctx(0);
    for (let i = 0; i < 60; i++) seen.add(JSON.stringify(s.sample(net, c)));
    expect(seen.size).toBe(6);
    expect(net.mutator.current()).toEqual({ 'hidden.out_channels': 2, depth: 1 });
    net.dispose();
  });

  it('max/min are the extremes of the space', () => {
    const net = new TinySupernet();
    const s = new UniformSampler();
    expect(s.max(net, ctx(0))).toEqual({ 'hidden.out_channels': 4, depth: 2 });
    expect(s.min(net, ctx(0))).toEqual({ 'hidden.out_channels': 2, depth: 1 });
    net.dispose();
  });
});

describe('ChannelWarmupSampler', () => {
  // SPOS-MXNet's channel scales and its published schedule with epoch_start_cs = 60 (README.md:119-128,
  // 1-based epochs), continued by its epoch_delay_late table (oneshot_nas_network.py:207-215): delay
  // 7 for 13-17 epochs after the start (9 scales), 8 for 18-23 (all 10), then all.
  const SCALES = [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0];
  const README: [number, number, number[]][] = [
    [1, 60, [2.0]],
    [61, 61, [1.8, 2.0]],
    [62, 62, [1.6, 1.8, 2.0]],
    [63, 63, [1.4, 1.6, 1.8, 2.0]],
    [64, 64, [1.2, 1.4, 1.6, 1.8, 2.0]],
    [65, 66, [1.0, 1.2, 1.4, 1.6, 1.8, 2.0]],
    [67, 69, [0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0]],
    [70, 73, [0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0]],
    [74, 78, [0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0]],
    [79, 120, SCALES],
  ];

  it("schedule spos_mxnet follows SPOS-MXNet's published stages epoch by epoch", () => {
    const s = new ChannelWarmupSampler({ schedule: 'spos_mxnet', start_epoch: 60 });
    const scales = new MutableValue({ alias: 'stage1.block1.channels', choices: SCALES });
    for (const [first, last, allowed] of README) {
      for (let epoch1 = first; epoch1 <= last; epoch1++) {
        const got = s.allowedChoices(scales, epoch1 - 1).sort((a, b) => a - b);
        expect(got, `epoch ${epoch1}`).toEqual(allowed);
      }
    }
  });

  it('schedule spos_mxnet draws only the allowed widths', () => {
    // Track-1's 7 ratios: the two widest at the start epoch, all 7 six epochs later (delay 5).
    const net = new TinySupernet({ widths: [2, 3, 4, 5, 6, 7, 8], depths: [1, 2] });
    const s = new ChannelWarmupSampler({ schedule: 'spos_mxnet', start_epoch: 3, alias_pattern: 'channels$' });
    const seenAt = (epoch: number) => {
      const seen = new Set<number>();
      const c = ctx(epoch);
      for (let i = 0; i < 200; i++) seen.add(s.sample(net, c)['hidden.out_channels']!);
      return [...seen].sort((a, b) => a - b);
    };
    expect(seenAt(2)).toEqual([8]);
    expect(seenAt(3)).toEqual([7, 8]);
    expect(seenAt(4)).toEqual([6, 7, 8]);
    expect(seenAt(7)).toEqual([3, 4, 5, 6, 7, 8]); // 4 epochs in: delay 4, the widest 6
    expect(seenAt(8)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(seenAt(9)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    net.dispose();
  });

  it('the linear schedule grows the allowed count from 1 to all over warmup_epochs (tfrazor rule)', () => {
    // 7 choices over 6 epochs: one more choice per epoch.
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((e) => linearAllowedCount(7, e, 6))).toEqual([1, 2, 3, 4, 5, 6, 7, 7]);
    // 7 choices over 3 epochs: floor(6 * e / 3) + 1.
    expect([0, 1, 2, 3].map((e) => linearAllowedCount(7, e, 3))).toEqual([1, 3, 5, 7]);
    // With a start epoch: widest only before and at the start.
    expect([0, 4, 5, 6, 7].map((e) => linearAllowedCount(3, e, 2, 5))).toEqual([1, 1, 1, 2, 3]);
    expect(linearAllowedCount(4, 0, 0)).toBe(4);
  });

  it('warmup_epochs is required by the linear schedule and refused by spos_mxnet (schema and constructor)', () => {
    const validate = new Ajv({ useDefaults: true, strict: false }).compile(CHANNEL_WARMUP_SAMPLER_SCHEMA);
    expect(validate({ warmup_epochs: 2 })).toBe(true);
    expect(validate({ schedule: 'spos_mxnet', start_epoch: 1 })).toBe(true);
    expect(validate({})).toBe(false);
    expect(validate({ schedule: 'spos_mxnet', warmup_epochs: 2 })).toBe(false);
    expect(validate({ schedule: 'cosine', warmup_epochs: 2 })).toBe(false);
    expect(() => new ChannelWarmupSampler({})).toThrow(/schedule linear needs warmup_epochs/);
    expect(() => new ChannelWarmupSampler({ schedule: 'spos_mxnet', warmup_epochs: 2 })).toThrow(/remove warmup_epochs \(2\)/);
  });

  it('draws uniformly within the allowed widths and over all depths (seeded chi-square, p = 0.001)', () => {
    const net = new TinySupernet({ widths: [2, 3, 4, 5, 6], depths: [1, 2] });
    const s = new ChannelWarmupSampler({ warmup_epochs: 4 });
    const c = ctx(2, new Rng(99)); // epoch 2 of 4: the widest 3 of 5 widths
    const widths = new Map([[4, 0], [5, 0], [6, 0]]);
    const depths = new Map([[1, 0], [2, 0]]);
    for (let i = 0; i < 20000; i++) {
      const d = s.sample(net, c);
      widths.set(d['hidden.out_channels']!, widths.get(d['hidden.out_channels']!)! + 1);
      depths.set(d.depth!, depths.get(d.depth!)! + 1);
    }
    expect([...widths.keys()]).toEqual([4, 5, 6]);
    expect(chiSquare([...widths.values()])).toBeLessThan(CHI2_999.df2);
    expect(chiSquare([...depths.values()])).toBeLessThan(10.83); // df 1
    net.dispose();
  });

  it('restricts widths (widest first) but not depths, and min follows the allowed set', () => {
    const net = new TinySupernet({ widths: [2, 3, 4, 5, 6], depths: [1, 2] });
    const s = new ChannelWarmupSampler({ warmup_epochs: 4 });
    const widthsAt = (epoch: number) => {
      const seen = new Set<number>();
      const depths = new Set<number>();
      const c = ctx(epoch);
      for (let i = 0; i < 80; i++) {
        const ch = s.sample(net, c);
        seen.add(ch['hidden.out_channels']!);
        depths.add(ch.depth!);
      }
      expect([...depths].sort()).toEqual([1, 2]);
      return [...seen].sort((a, b) => a - b);
    };
    expect(widthsAt(0)).toEqual([6]);
    expect(widthsAt(1)).toEqual([5, 6]);
    expect(widthsAt(2)).toEqual([4, 5, 6]);
    expect(widthsAt(3)).toEqual([3, 4, 5, 6]);
    expect(widthsAt(4)).toEqual([2, 3, 4, 5, 6]);
    expect(s.min(net, ctx(1))).toEqual({ 'hidden.out_channels': 5, depth: 1 });
    expect(s.max(net, ctx(1))).toEqual({ 'hidden.out_channels': 6, depth: 2 });
    net.dispose();
  });

  it('an invalid alias_pattern is a typed error naming it', () => {
    expect(() => new ChannelWarmupSampler({ warmup_epochs: 2, alias_pattern: 'chan(' })).toThrow(SamplerConfigError);
    expect(() => new ChannelWarmupSampler({ warmup_epochs: 2, alias_pattern: 'chan(' })).toThrow(/alias_pattern "chan\(" is not a valid regular expression/);
  });

  it("alias_pattern '.' also warms up depths", () => {
    const net = new TinySupernet({ widths: [2, 3], depths: [1, 2] });
    const s = new ChannelWarmupSampler({ warmup_epochs: 2, alias_pattern: '.' });
    const c = ctx(0);
    for (let i = 0; i < 20; i++) expect(s.sample(net, c)).toEqual({ 'hidden.out_channels': 3, depth: 2 });
    net.dispose();
  });
});

describe('constrained sampling', () => {
  // Tiny space: macs = 4c + (d == 2 ? c^2 : 0) + 3c, c in {2,3,4}, d in {1,2}: 14, 21, 28, 18, 30, 44.
  it('every sample lies in the range, and all subnets in it are reached', () => {
    const net = new TinySupernet();
    const s = new UniformSampler({ constraints: { macs: [18, 30] } });
    const seen = new Set<number>();
    const c = ctx(0);
    for (let i = 0; i < 100; i++) {
      const m = net.complexity(s.sample(net, c)).macs;
      expect(m).toBeGreaterThanOrEqual(18);
      expect(m).toBeLessThanOrEqual(30);
      seen.add(m);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([18, 21, 28, 30]);
    expect((s.getState() as { rejected: number }).rejected).toBeGreaterThan(0);
    net.dispose();
  });

  it('an empty or out-of-space range fails at once, naming the range and the space', () => {
    const net = new TinySupernet();
    const reversed = new UniformSampler({ constraints: { macs: [30, 18] } });
    expect(() => reversed.sample(net, ctx(0))).toThrow(SamplingConstraintError);
    expect(() => reversed.sample(net, ctx(0))).toThrow(/macs range \[30, 18\] is empty.*macs \[14, 44\], params \[17, 47\]/);
    const above = new UniformSampler({ constraints: { params: [100, null] } });
    expect(() => above.sample(net, ctx(0))).toThrow(/params range \[100, inf\] lies above the largest subnet \(47\)/);
  });

  it('a range with no subnet inside gives up after max_retries', () => {
    const net = new TinySupernet();
    const s = new UniformSampler({ constraints: { macs: [22, 27] }, max_retries: 25 });
    expect(() => s.sample(net, ctx(0))).toThrow(/no subnet with macs in \[22, 27\] in 25 draws.*macs \[14, 44\]/);
    expect(s.getState()).toEqual({ draws: 25, rejected: 25 });
  });

  it('warm-up and constraints combine; the error says warm-up may be the cause', () => {
    const net = new TinySupernet();
    const s = new ChannelWarmupSampler({ warmup_epochs: 2, constraints: { macs: [14, 21] }, max_retries: 10 });
    expect(() => s.sample(net, ctx(0))).toThrow(/warm-up/);
    expect(net.complexity(s.sample(net, ctx(2))).macs).toBeLessThanOrEqual(21);
  });
});

describe('sampler state', () => {
  it('round-trips, and with the rng state resumes the same sequence', () => {
    const net = new TinySupernet({ widths: [2, 3, 4, 5], depths: [1, 2] });
    const a = new ChannelWarmupSampler({ warmup_epochs: 3, constraints: { macs: [0, 60] } });
    const rng = new Rng(11);
    for (let i = 0; i < 5; i++) a.sample(net, ctx(1, rng));
    const saved = JSON.parse(JSON.stringify({ sampler: a.getState(), rng: rng.getState() }));
    const next = Array.from({ length: 8 }, () => a.sample(net, ctx(2, rng)));

    const b = new ChannelWarmupSampler({ warmup_epochs: 3, constraints: { macs: [0, 60] } });
    b.setState(saved.sampler);
    expect(b.getState()).toEqual(saved.sampler);
    expect((saved.sampler as { stage_epoch: number }).stage_epoch).toBe(1);
    const rng2 = new Rng(0, saved.rng);
    expect(Array.from({ length: 8 }, () => b.sample(net, ctx(2, rng2)))).toEqual(next);
    expect(b.getState()).toEqual(a.getState());
    net.dispose();
  });
});
