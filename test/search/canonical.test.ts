import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { ResNetSupernet } from '../../src/models/resnet_supernet.js';
import { canonicalChoices } from '../../src/search/canonical.js';
import { candidateKey } from '../../src/search/candidate_space.js';
import { EvolutionSearch } from '../../src/search/evolution_search.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tiny = (): ResNetSupernet =>
  new ResNetSupernet({
    block: 'BasicBlock', in_channels: 1, input_size: 8, num_classes: 3, width_ratios: [1.0, 0.75, 0.5],
    stem: { base_channels: 8, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true },
    stages: [{ depth_choices: [1, 2, 3], base_channels: 8, stride: 1 }, { depth_choices: [1, 2], base_channels: 16, stride: 2 }],
  });

describe('canonicalChoices', () => {
  it('sets the widths of blocks beyond the depth to their max and keeps the current subnet', () => {
    const net = tiny();
    const c = { ...net.mutator.setMin() };
    c['stage1.block3.mid_channels'] = 0.75;
    const before = net.mutator.current();
    const canon = canonicalChoices(net, c);
    expect(canon['stage1.block3.mid_channels']).toBe(1.0);
    expect(canon['stage1.block2.mid_channels']).toBe(1.0);
    expect(canon['stage1.block1.mid_channels']).toBe(0.5);
    expect(canon['stage1.depth']).toBe(1);
    expect(net.mutator.current()).toEqual(before);
    expect(net.complexity(canon)).toEqual(net.complexity(c));
    net.dispose();
  });

  it('makes a search score each distinct architecture once', async () => {
    const net = tiny();
    const seen = new Set<string>();
    const res = await new EvolutionSearch({ population_size: 10, top_k: 3, num_mutation: 5, num_crossover: 5, max_generations: 3, mutate_prob: 0.3 }).run({
      mutator: net.mutator,
      complexity: (c) => net.complexity(c),
      canonicalize: (c) => canonicalChoices(net, c),
      score: (c) => {
        const key = candidateKey(canonicalChoices(net, c));
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        return net.complexity(c).macs / 1e6;
      },
    });
    expect(res.candidates.length).toBe(seen.size);
    net.dispose();
  });
});
