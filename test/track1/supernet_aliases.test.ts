import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import '../../src/models/index.js';
import { buildContext } from '../../src/models/ops/build_context.js';
import type { Supernet } from '../../src/models/types.js';
import { MODELS } from '../../src/registry/registries.js';
import { decodeTrack1Code, encodeTrack1Code, readTrack1File, track1Aliases } from '../../src/track1/index.js';

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
});
