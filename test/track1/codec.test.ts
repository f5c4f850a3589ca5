import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  Track1ChoicesError,
  Track1CodeError,
  decodeTrack1Code,
  encodeTrack1Code,
  parseTrack1Code,
  track1Aliases,
} from '../../src/track1/index.js';

const EXAMPLE = '1252233313000000223212122253130000000000006515000000';
const official = Object.values(
  JSON.parse(readFileSync('data/track1/CVPR_2022_NAS_Track1_test.json', 'utf8')) as Record<string, { arch: string }>,
).map((e) => e.arch);

function expectCodeError(code: string, position: number, rule: string): Track1CodeError {
  try {
    decodeTrack1Code(code);
  } catch (e) {
    expect(e).toBeInstanceOf(Track1CodeError);
    const err = e as Track1CodeError;
    expect({ position: err.position, rule: err.rule }).toEqual({ position, rule });
    expect(err.code).toBe(code);
    expect(err.digit).toBe(code[position - 1] ?? '');
    expect(err.message).toContain(`position ${position}`);
    return err;
  }
  throw new Error(`expected ${code} to be rejected`);
}

const at = (code: string, pos1: number, ch: string) => code.slice(0, pos1 - 1) + ch + code.slice(pos1);

describe('Track-1 code codec', () => {
  it('decodes the TRACK1.md example to the documented choices', () => {
    const c = parseTrack1Code(EXAMPLE);
    expect(c.inputSize).toBe(224);
    expect(c.digits).toBe(52);
    const ch = c.choices;
    expect([1, 2, 3, 4].map((s) => ch[`stage${s}.depth`])).toEqual([2, 5, 2, 2]);
    expect(ch['stage1.out_channels']).toBe(0.9); // stem digit 3 = stage 1 out digit 3
    expect(ch['stage1.block1.mid_channels']).toBe(0.9);
    expect(ch['stage1.block2.mid_channels']).toBe(1.0);
    expect(ch['stage1.block3.mid_channels']).toBe(1.0); // padding decodes to the max ratio
    expect(ch['stage2.out_channels']).toBe(0.95); // 22 32 12 12 22
    expect([1, 2, 3, 4, 5].map((b) => ch[`stage2.block${b}.mid_channels`])).toEqual([0.95, 0.9, 1.0, 1.0, 0.95]);
    expect(ch['stage3.out_channels']).toBe(0.9); // 53 13: (mid, out) pairs
    expect(ch['stage3.block2.mid_channels']).toBe(1.0);
    expect(ch['stage4.out_channels']).toBe(0.8); // 65 15: out digit 5
    expect(Object.keys(ch).sort()).toEqual(track1Aliases().sort());
  });

  it(`round-trips all ${official.length} official codes in the 52- and 51-digit forms`, () => {
    expect(official.length).toBe(45000);
    const failures: string[] = [];
    for (const code of official) {
      const choices = decodeTrack1Code(code);
      const short = code.slice(1);
      const back = parseTrack1Code(short);
      if (
        encodeTrack1Code(choices) !== code ||
        encodeTrack1Code(choices, { digits: 51 }) !== short ||
        back.digits !== 51 ||
        encodeTrack1Code(back.choices) !== code
      ) {
        failures.push(code);
      }
    }
    expect(failures).toEqual([]);
  });

  it('rejects a wrong length with the first missing or extra position', () => {
    expectCodeError(EXAMPLE.slice(0, 40), 41, 'length');
    expectCodeError(EXAMPLE + '0', 53, 'length');
    expectCodeError('', 1, 'length');
  });

  it('rejects each broken rule with its 1-based position', () => {
    expectCodeError(at(EXAMPLE, 10, 'x'), 10, 'non_digit');
    expectCodeError(at(EXAMPLE, 1, '2'), 1, 'size_digit');
    expectCodeError(at(EXAMPLE, 2, '1'), 2, 'depth_range');
    expectCodeError(at(EXAMPLE, 4, '9'), 4, 'depth_range');
    expectCodeError(at(EXAMPLE, 5, '6'), 5, 'depth_range'); // stage 4 max depth 5
    expectCodeError(at(EXAMPLE, 6, '1'), 6, 'stem_mismatch');
    expectCodeError(at(EXAMPLE, 8, '2'), 10, 'stage_out_mismatch'); // block 2 differs from the changed block 1
    expectCodeError(at(EXAMPLE, 6, '8'), 6, 'ratio_range'); // stem digit
    expectCodeError(at(EXAMPLE, 7, '8'), 7, 'ratio_range'); // stage 1 block 1 mid
    expectCodeError(at(EXAMPLE, 7, '0'), 7, 'used_block_zero');
    expectCodeError(at(EXAMPLE, 10, '2'), 10, 'stage_out_mismatch'); // stage 1 block 2 out
    expectCodeError(at(EXAMPLE, 11, '1'), 11, 'padding_nonzero'); // stage 1 block 3 (depth 2)
    expectCodeError(at(EXAMPLE, 52, '3'), 52, 'padding_nonzero');
  });

  it('accepts digits that differ from the stage width digit but give the same channel count (the demo builds them)', () => {
    // Stage 1 and the stem have base 64: digits 3 and 4 both give 56 channels. Stage 2 (base 128): 3 and 4 give 112.
    const base = decodeTrack1Code(EXAMPLE);
    const stemVariant = at(EXAMPLE, 6, '4');
    const blockVariant = at(EXAMPLE, 10, '4');
    for (const v of [stemVariant, blockVariant, at(stemVariant, 10, '4')]) {
      expect(decodeTrack1Code(v), v).toEqual(base);
      expect(encodeTrack1Code(decodeTrack1Code(v)), v).toBe(EXAMPLE);
    }
    // Block 1's digit names the stage width; the other blocks and the stem follow it when written back.
    const firstBlock = at(EXAMPLE, 8, '4');
    expect(decodeTrack1Code(firstBlock)['stage1.out_channels']).toBe(0.85);
    expect(encodeTrack1Code(decodeTrack1Code(firstBlock))).toBe(at(at(at(EXAMPLE, 6, '4'), 8, '4'), 10, '4'));
    const stage2 = '1242233313000000133413340053130000000000006515000000'; // stage 2 out digits 3, 4, 3, 4
    expect(encodeTrack1Code(decodeTrack1Code(stage2))).toBe('1242233313000000133313330053130000000000006515000000');
    // Different channel counts stay invalid, with both counts in the message.
    const err = expectCodeError(at(EXAMPLE, 10, '5'), 10, 'stage_out_mismatch');
    expect(err.message).toContain('out digit gives 48 channels but block 1\'s (3) gives 56');
    expectCodeError(at(stage2, 20, '2'), 20, 'stage_out_mismatch');
  });

  it('reports positions in the 51-digit form relative to that code', () => {
    const short = EXAMPLE.slice(1);
    expectCodeError(at(short, 9, '2'), 9, 'stage_out_mismatch');
    expectCodeError(at(short, 1, '9'), 1, 'depth_range');
  });

  it('names the position, digit and rule in the message', () => {
    const err = expectCodeError(at(EXAMPLE, 10, '2'), 10, 'stage_out_mismatch');
    expect(err.message).toMatch(/digit '2'.*stage_out_mismatch/);
    expect(err.message).toContain(at(EXAMPLE, 10, '2'));
  });

  it('encode refuses choices no code can express', () => {
    const base = decodeTrack1Code(EXAMPLE);
    const bad = (patch: Record<string, number>, alias: string) => {
      const fn = () => encodeTrack1Code({ ...base, ...patch });
      expect(fn).toThrow(Track1ChoicesError);
      try { fn(); } catch (e) { expect((e as Track1ChoicesError).alias).toBe(alias); }
    };
    bad({ 'stage3.depth': 9 }, 'stage3.depth');
    bad({ 'stage1.depth': 2.5 }, 'stage1.depth');
    bad({ 'stage2.out_channels': 0.6 }, 'stage2.out_channels');
    bad({ 'stage2.block1.mid_channels': 0.5 }, 'stage2.block1.mid_channels');
    bad({ 'stage9.depth': 2 }, 'stage9.depth');
    bad({ input_size: 192 }, 'input_size');
    const { ['stage4.depth']: _drop, ...missing } = base;
    expect(() => encodeTrack1Code(missing)).toThrow(/stage4\.depth/);
  });

  it('encode ignores mid ratios of blocks beyond the depth and accepts input_size 224', () => {
    const base = decodeTrack1Code(EXAMPLE);
    expect(encodeTrack1Code({ ...base, 'stage1.block5.mid_channels': 0.7, input_size: 224 })).toBe(EXAMPLE);
    const { ['stage1.block5.mid_channels']: _unused, ...partial } = base;
    expect(encodeTrack1Code(partial)).toBe(EXAMPLE);
    expect(encodeTrack1Code({ ...base, 'stage1.out_channels': 0.9000000001 })).toBe(EXAMPLE);
  });
});
