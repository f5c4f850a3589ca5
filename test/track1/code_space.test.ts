import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/load_config.js';
import { buildSupernetForCounting, findArchitectureConfig } from '../../src/models/complexity.js';
import { Rng } from '../../src/services/rng.js';
import { CodeSpaceError, ResNetCodeSpace, TRACK1_CODE_SPACE, Track1ChoicesError, Track1CodeError, decodeTrack1Code } from '../../src/track1/index.js';
import { codeSpaceOfConfig, codeSpaceOfSupernet } from '../../src/track1/supernet_code_space.js';

const RATIOS = [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7];
const MINI = new ResNetCodeSpace({ depthChoices: [[1, 2, 3], [1, 2, 3], [1, 2, 3]], ratios: RATIOS, inputSize: 28, stemTiedToStage1: true, name: 'the mini space' });

function expectCodeError(space: ResNetCodeSpace, code: string, position: number, rule: string): void {
  let caught: unknown;
  try {
    space.decode(code);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(Track1CodeError);
  expect({ position: (caught as Track1CodeError).position, rule: (caught as Track1CodeError).rule }).toEqual({ position, rule });
}

describe('ResNetCodeSpace on the mini Track-1 space (3 stages, depths 1..3)', () => {
  it('has 1 + 3 + 1 + 2 x 9 digits and decodes a code by hand', () => {
    expect(MINI.lengths).toEqual([23, 22]);
    // size 1 | depths 2 1 3 | stem 4 | stage1: (5,4) (7,4) 00 | stage2: (1,2) 00 00 | stage3: (3,6) (2,6) (6,6)
    const code = '1' + '213' + '4' + '5474' + '00' + '12' + '0000' + '362666';
    expect(code).toHaveLength(23);
    const c = MINI.parse(code);
    expect(c.depths).toEqual([2, 1, 3]);
    expect(c.inputSize).toBe(28);
    expect(c.choices).toEqual({
      'stage1.depth': 2, 'stage2.depth': 1, 'stage3.depth': 3,
      'stage1.out_channels': 0.85, 'stage1.block1.mid_channels': 0.8, 'stage1.block2.mid_channels': 0.7, 'stage1.block3.mid_channels': 1.0,
      'stage2.out_channels': 0.95, 'stage2.block1.mid_channels': 1.0, 'stage2.block2.mid_channels': 1.0, 'stage2.block3.mid_channels': 1.0,
      'stage3.out_channels': 0.75, 'stage3.block1.mid_channels': 0.9, 'stage3.block2.mid_channels': 0.95, 'stage3.block3.mid_channels': 0.75,
    });
    expect(Object.keys(c.choices)).toEqual(MINI.aliases());
    expect(MINI.encode(c.choices)).toBe(code);
    expect(MINI.encode(c.choices, { sizeDigit: false })).toBe(code.slice(1));
    expect(MINI.decode(code.slice(1))).toEqual(c.choices);
  });

  it('round-trips 3,000 seeded random subnets of every depth', () => {
    const rng = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      const choices: Record<string, number> = {};
      for (const alias of MINI.aliases()) choices[alias] = alias.endsWith('.depth') ? 1 + rng.int(3) : rng.choice(RATIOS);
      const code = MINI.encode(choices);
      const back = MINI.decode(code);
      for (const [alias, v] of Object.entries(back)) {
        const depth = back[`${alias.split('.')[0]}.depth`]!;
        const block = /block(\d)/.exec(alias);
        // Mids of blocks beyond the depth are not in the code; they decode to the largest ratio.
        expect(v).toBe(block && Number(block[1]) > depth ? 1.0 : choices[alias]);
      }
      expect(MINI.encode(back)).toBe(code);
      seen.add(back['stage1.depth']! * 100 + back['stage2.depth']! * 10 + back['stage3.depth']!);
    }
    expect(seen.size).toBe(27);
  });

  it('names the position and rule of each broken rule', () => {
    const ok = '1' + '213' + '4' + '5474' + '00' + '12' + '0000' + '362666';
    const at = (pos1: number, ch: string) => ok.slice(0, pos1 - 1) + ch + ok.slice(pos1);
    expectCodeError(MINI, ok + '1', 24, 'length');
    expectCodeError(MINI, at(3, 'x'), 3, 'non_digit');
    expectCodeError(MINI, at(1, '2'), 1, 'size_digit');
    expectCodeError(MINI, at(2, '4'), 2, 'depth_range');
    expectCodeError(MINI, at(3, '0'), 3, 'depth_range');
    expectCodeError(MINI, at(5, '8'), 5, 'ratio_range');
    expectCodeError(MINI, at(5, '3'), 5, 'stem_mismatch');
    expectCodeError(MINI, at(10, '1'), 10, 'padding_nonzero');
    expectCodeError(MINI, at(9, '3'), 9, 'stage_out_mismatch');
    expectCodeError(MINI, at(6, '0'), 6, 'used_block_zero');
  });

  it('refuses choices outside the space when encoding', () => {
    const c = MINI.decode('1' + '111' + '1' + '1100' + '00' + '1100' + '00' + '110000');
    expect(() => MINI.encode({ ...c, 'stage2.depth': 4 })).toThrow(Track1ChoicesError);
    expect(() => MINI.encode({ ...c, 'stage1.out_channels': 0.5 })).toThrow(/one of the ratios/);
    expect(() => MINI.encode({ ...c, 'stage4.depth': 2 })).toThrow(/no such alias in the mini space/);
    expect(() => MINI.encode({ ...c, input_size: 224 })).toThrow(/28/);
  });

  it('supports an untied stem, non-contiguous depths, and refuses what one digit cannot hold', () => {
    const space = new ResNetCodeSpace({ depthChoices: [[1, 3]], ratios: [1, 0.5], inputSize: 32, stemTiedToStage1: false });
    const code = '1' + '3' + '2' + '111121';
    const choices = space.decode(code);
    expect(choices).toEqual({ 'stage1.depth': 3, 'stem.out_channels': 0.5, 'stage1.out_channels': 1, 'stage1.block1.mid_channels': 1, 'stage1.block2.mid_channels': 1, 'stage1.block3.mid_channels': 0.5 });
    expect(space.encode(choices)).toBe(code);
    expectCodeError(space, '1' + '2' + '1' + '111100', 2, 'depth_range');
    expect(() => new ResNetCodeSpace({ depthChoices: [[1, 10]], ratios: [1], inputSize: 8, stemTiedToStage1: true })).toThrow(CodeSpaceError);
    expect(() => new ResNetCodeSpace({ depthChoices: [[1]], ratios: Array.from({ length: 10 }, (_, i) => 1 - i / 20), inputSize: 8, stemTiedToStage1: true })).toThrow(CodeSpaceError);
  });

  it('is built from the shipped mini config and its decoded choices set every mutable of that supernet', async () => {
    const { config } = await loadConfig('configs/bench/gt_standalone.yaml');
    const space = codeSpaceOfConfig(config);
    expect(space.lengths).toEqual([23, 22]);
    expect(space.inputSize).toBe(28);
    await import('../../src/models/index.js');
    const net = buildSupernetForCounting(findArchitectureConfig(config, 'gt_standalone.yaml'));
    expect([...space.aliases()].sort()).toEqual(net.mutator.mutables.map((m) => m.alias).sort());
    net.mutator.set(space.decode('1' + '333' + '1' + '111111' + '111111' + '111111'));
    expect(net.complexity()).toEqual(net.complexity(net.mutator.setMax()));
    expect(() => codeSpaceOfSupernet({ type: 'MobileNetSupernet' })).toThrow(CodeSpaceError);
  });

  it('is the Track-1 space for the official codec', () => {
    expect(TRACK1_CODE_SPACE.lengths).toEqual([52, 51]);
    const code = '1252233313000000223212122253130000000000006515000000';
    expect(TRACK1_CODE_SPACE.decode(code)).toEqual(decodeTrack1Code(code));
  });
});
