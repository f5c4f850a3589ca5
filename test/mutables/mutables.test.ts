import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/services/rng.js';
import {
  DerivedMutable, InvalidChoiceError, MutableChannel, MutableValue, Mutator, SubnetFileError,
  channelsForRatio, loadSubnet, makeDivisible, saveSubnet,
} from '../../src/mutables/index.js';
import { MUTABLES } from '../../src/registry/registries.js';

const RATIOS = [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7];

describe('make_divisible', () => {
  it('gives the Track-1 channel tables', () => {
    expect(RATIOS.map((r) => channelsForRatio(r, 64))).toEqual([64, 64, 56, 56, 48, 48, 48]);
    expect(RATIOS.map((r) => channelsForRatio(r, 128))).toEqual([128, 120, 112, 112, 104, 96, 88]);
    expect(makeDivisible(3)).toBe(8);
    expect(makeDivisible(20)).toBe(24);
    expect(makeDivisible(100, 32)).toBe(96);
  });
});

describe('MutableValue / MutableChannel', () => {
  it('starts at max, samples only its choices and rejects other values with the valid list', () => {
    const depth = new MutableValue({ alias: 'stage1.depth', choices: [2, 3, 4] });
    expect(depth.currentChoice).toBe(4);
    expect([depth.min, depth.max]).toEqual([2, 4]);
    const rng = new Rng(1);
    const seen = new Set(Array.from({ length: 50 }, () => depth.sample(rng)));
    expect([...seen].sort()).toEqual([2, 3, 4]);
    expect(() => { depth.currentChoice = 5; }).toThrow(/Invalid choice 5 for 'stage1.depth': valid choices are \[2, 3, 4\]/);
  });

  it('maps ratios to channels and exposes current/max channels', () => {
    const c = new MutableChannel({ alias: 'stage2.out_channels', choices: RATIOS, base_channels: 128 });
    expect(c.currentChoice).toBe(1.0);
    expect(c.maxChannels).toBe(128);
    c.currentChoice = 0.7;
    expect(c.currentChannels).toBe(88);
    const abs = new MutableChannel({ alias: 'w', choices: [16, 24, 32] });
    abs.currentChoice = 24;
    expect(abs.currentChannels).toBe(24);
  });

  it('fixChosen freezes a mutable', () => {
    const v = new MutableValue({ alias: 'k', choices: [3, 5, 7] });
    v.fixChosen(5);
    expect(v.isFixed).toBe(true);
    expect(v.sample(new Rng(0))).toBe(5);
    expect(() => { v.currentChoice = 3; }).toThrow(InvalidChoiceError);
  });

  it('DerivedMutable follows its sources', () => {
    const e = new MutableValue({ alias: 'e', choices: [3, 4, 6] });
    const mid = new DerivedMutable('mid', [e], (r) => 16 * r);
    expect(mid.maxChannels).toBe(96);
    e.currentChoice = 3;
    expect(mid.currentChannels).toBe(48);
  });

  it('builds from the MUTABLES registry', () => {
    const c = MUTABLES.build<MutableChannel>({ type: 'MutableChannel', alias: 'x', choices: [1, 0.5], base_channels: 32 });
    expect(c.minChannels).toBe(16);
  });
});

describe('Mutator', () => {
  const space = () => {
    const shared = new MutableChannel({ alias: 'stage1.out_channels', choices: RATIOS, base_channels: 64 });
    const depth = new MutableValue({ alias: 'stage1.depth', choices: [1, 2, 3] });
    return new Mutator([shared, depth, shared]);
  };

  it('dedupes shared mutables and does sample / max / min / current / set', () => {
    const m = space();
    expect(m.aliases).toEqual(['stage1.out_channels', 'stage1.depth']);
    expect(m.setMin()).toEqual({ 'stage1.out_channels': 0.7, 'stage1.depth': 1 });
    expect(m.setMax()).toEqual({ 'stage1.out_channels': 1.0, 'stage1.depth': 3 });
    const a = m.sample(new Rng(7));
    const b = space().sample(new Rng(7));
    expect(a).toEqual(b);
    m.set({ 'stage1.depth': 2 });
    expect(m.current()['stage1.depth']).toBe(2);
  });

  it('set validates everything first and names alias, value and choices', () => {
    const m = space();
    expect(() => m.set({ 'stage1.depth': 1, 'stage1.out_channel': 0.9 })).toThrow(/Unknown alias 'stage1.out_channel'.*Did you mean 'stage1.out_channels'/);
    expect(m.current()['stage1.depth']).toBe(3);
    try {
      m.set({ 'stage1.out_channels': 0.6 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidChoiceError);
      const err = e as InvalidChoiceError;
      expect(err.alias).toBe('stage1.out_channels');
      expect(err.value).toBe(0.6);
      expect(err.message).toContain('[1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7]');
    }
  });

  it('refuses two different mutables with one alias', () => {
    expect(() => new Mutator([new MutableValue({ alias: 'a', choices: [1] }), new MutableValue({ alias: 'a', choices: [1] })])).toThrow(/share the alias 'a'/);
  });
});

describe('subnet YAML', () => {
  const dir = mkdtempSync(join(tmpdir(), 'subnet-'));

  it('round-trips mmrazor format', () => {
    const choices = { 'stage1.depth': 2, 'stage1.out_channels': 0.85 };
    const path = join(dir, 'a.yaml');
    saveSubnet(path, choices);
    expect(readFileSync(path, 'utf8')).toContain('stage1.depth:\n  chosen: 2');
    const m = new Mutator([
      new MutableValue({ alias: 'stage1.depth', choices: [1, 2] }),
      new MutableChannel({ alias: 'stage1.out_channels', choices: RATIOS, base_channels: 64 }),
    ]);
    expect(loadSubnet(path, m, { complete: true })).toEqual(choices);
  });

  it('reports bad files with the file name', () => {
    const m = new Mutator([new MutableValue({ alias: 'stage1.depth', choices: [1, 2] })]);
    const cases: [string, RegExp][] = [
      ['stage1.depth: 2\n', /must be written as 'stage1.depth: \{chosen: <number>\}'/],
      ['- 1\n', /must be a mapping/],
      ['a: [\n', /not valid YAML/],
      ['stage1.depth: {chosen: 3}\n', /Invalid choice 3 for 'stage1.depth'.*valid choices are \[1, 2\]/],
      ['stage1.dpth: {chosen: 1}\n', /Unknown alias 'stage1.dpth'/],
      ['stage1.depth: {chosen: 1, x: 2}\n', /unknown key\(s\) 'x'/],
    ];
    for (const [i, [text, re]] of cases.entries()) {
      const path = join(dir, `bad${i}.yaml`);
      writeFileSync(path, text);
      expect(() => loadSubnet(path, m)).toThrow(SubnetFileError);
      expect(() => loadSubnet(path, m)).toThrow(re);
      expect(() => loadSubnet(path, m)).toThrow(path);
    }
    expect(() => loadSubnet(join(dir, 'missing.yaml'))).toThrow(/Cannot read subnet file/);
  });
});
