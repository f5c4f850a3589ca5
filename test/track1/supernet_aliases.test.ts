import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import '../../src/models/index.js';
import { buildContext } from '../../src/models/ops/build_context.js';
import type { Supernet } from '../../src/models/types.js';
import { MODELS } from '../../src/registry/registries.js';
import { decodeTrack1Code, encodeTrack1Code, readTrack1File, track1Aliases } from '../../src/track1/index.js';
import type { ResNetSupernet } from '../../src/models/resnet_supernet.js';
import type { ConvBn } from '../../src/models/conv_bn.js';
import { Rng } from '../../src/services/rng.js';
import { demoLayers, type DemoLayer } from './demo_model.js';

/** The active subnet's convs and fc as the supernet runs them, in the demo's order. */
function supernetLayers(net: ResNetSupernet): DemoLayer[] {
  const conv = (unit: ConvBn): DemoLayer => ({
    kind: 'conv',
    in: unit.conv.inChannels.currentChannels,
    out: unit.conv.outChannels.currentChannels,
    kernel: unit.conv.kernelSize.currentValue,
    stride: unit.conv.stride,
  });
  const layers = [conv(net.stem)];
  for (const stage of net.stages) {
    for (const block of stage.activeBlocks()) {
      const units = Object.fromEntries(block.namedChildren()) as Record<string, ConvBn>;
      layers.push(conv(units.conv1!), conv(units.conv2!));
      if (units.shortcut) layers.push(conv(units.shortcut));
    }
  }
  layers.push({ kind: 'fc', in: net.fc.inFeatures.currentChannels, out: net.fc.outFeatures.currentChannels, kernel: 0, stride: 0 });
  return layers;
}

// Digits of equal width (TRACK1.md): at base 64, 1 = 2, 3 = 4, 5 = 6 = 7; at base 128, 3 = 4.
const SAME_WIDTH: Record<number, string[][]> = { 64: [['1', '2'], ['3', '4'], ['5', '6', '7']], 128: [['3', '4']], 256: [], 512: [] };

// The codec and the shipped Track-1 supernet must agree on every alias and choice.
describe('codec vs the resnet48_track1 supernet mutator', () => {
  const cfg = (parse(readFileSync('configs/_base_/supernets/resnet48_track1.yaml', 'utf8')) as { model: { architecture: { type: string } } }).model.architecture;
  const net = MODELS.build<Supernet>(cfg, { ctx: buildContext({ allocate: false }) });

  it('has exactly the aliases the codec fills, with the same choices', () => {
    const current = net.mutator.current();
    expect(Object.keys(current).sort()).toEqual(track1Aliases().sort());
    const max = net.mutator.setMax();
    expect(encodeTrack1Code(max)).toBe(`15585${'1'.repeat(47)}`);
    expect(encodeTrack1Code(net.mutator.setMin())).toBe(`122227${'7777000000'.repeat(2)}7777${'0'.repeat(12)}7777000000`);
  });

  it('takes decoded official codes and gives them back', () => {
    const entries = readTrack1File('data/track1/CVPR_2022_NAS_Track1_test.json');
    for (const { value } of entries.filter((_, i) => i % 450 === 0)) {
      net.mutator.set(decodeTrack1Code(value.arch));
      expect(encodeTrack1Code(net.mutator.current())).toBe(value.arch);
    }
  });

  it('every official code decodes to the convs and widths the demo builds from it, conv by conv (all 45,000)', () => {
    const entries = readTrack1File('data/track1/CVPR_2022_NAS_Track1_test.json');
    expect(entries).toHaveLength(45000);
    const supernet = net as ResNetSupernet;
    const mismatches: string[] = [];
    for (const { value } of entries) {
      net.mutator.set(decodeTrack1Code(value.arch));
      if (JSON.stringify(supernetLayers(supernet)) !== JSON.stringify(demoLayers(value.arch))) mismatches.push(value.arch);
    }
    expect(mismatches).toEqual([]);
  });

  it('codes whose digits differ but give the same widths are the same network, for the demo and the codec', () => {
    const entries = readTrack1File('data/track1/CVPR_2022_NAS_Track1_test.json');
    const supernet = net as ResNetSupernet;
    const rng = new Rng(13);
    const bases = [64, 128, 256, 512];
    let variants = 0;
    for (const { value } of entries.filter((_, i) => i % 45 === 0)) {
      const code = value.arch;
      // Re-draw out digits (and the stem digit) among the digits of the same width: those of the
      // later blocks only (`firstToo` false), or of every block.
      for (const firstToo of [false, true]) {
        const digits = [...code];
        const redraw = (pos: number, base: number) => {
          const group = SAME_WIDTH[base]!.find((g) => g.includes(digits[pos]!));
          if (group) digits[pos] = rng.choice(group);
        };
        redraw(5, 64);
        let pos = 6;
        [5, 5, 8, 5].forEach((slots, s) => {
          for (let b = 0; b < slots; b++, pos += 2) if (digits[pos + 1] !== '0' && (firstToo || b > 0)) redraw(pos + 1, bases[s]!);
        });
        const variant = digits.join('');
        if (variant !== code) variants++;
        const choices = decodeTrack1Code(variant);
        net.mutator.set(choices);
        expect(supernetLayers(supernet), variant).toEqual(demoLayers(variant));
        expect(demoLayers(variant), variant).toEqual(demoLayers(code));
        // The code written back has every block's out digit (and the stem's) equal to block 1's.
        const canonical = encodeTrack1Code(choices);
        expect(demoLayers(canonical), variant).toEqual(demoLayers(code));
        if (!firstToo) expect(canonical, variant).toBe(code);
      }
    }
    expect(variants).toBeGreaterThan(1000);
  });

  it('a code whose digits give different widths is refused: the demo would add a projection the supernet has not', () => {
    const code = '1252233313000000223212122253130000000000006515000000';
    const stage1Block2Wider = code.slice(0, 9) + '1' + code.slice(10); // stage 1 block 2 out: 64 channels, block 1: 56
    // The supernet's only projections are the stride-2 ones opening stages 2-4; the demo adds a
    // stride-1 one wherever a block changes width.
    const stride1Projections = (arch: string) => demoLayers(arch).filter((l) => l.kernel === 1 && l.stride === 1);
    expect(stride1Projections(code)).toEqual([]);
    expect(stride1Projections(stage1Block2Wider)).toEqual([{ kind: 'conv', in: 56, out: 64, kernel: 1, stride: 1 }]);
    expect(() => decodeTrack1Code(stage1Block2Wider)).toThrow(/out digit gives 64 channels but block 1's \(3\) gives 56.*stage_out_mismatch/);
    const stemWider = code.slice(0, 5) + '1' + code.slice(6); // stem 64 channels, stage 1 56
    expect(stride1Projections(stemWider)).toEqual([{ kind: 'conv', in: 64, out: 56, kernel: 1, stride: 1 }]);
    expect(() => decodeTrack1Code(stemWider)).toThrow(/stem digit gives 64 channels but stage 1's out digit \(3\) gives 56.*stem_mismatch/);
  });
});

