import { describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { ResNetSupernet } from '../../src/models/resnet_supernet.js';
import { reorderMidChannelsByL1 } from '../../src/algorithms/reorder_channels.js';
import { BN_SUPERNET, bnBatch, randomiseRunningStats } from './bn_supernet.js';

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('reorderMidChannelsByL1 (the Track-1 demo reorder)', () => {
  it('sorts every BasicBlock mid channel by L1 of conv2 inputs and keeps the max network the same function', () => {
    const net = new ResNetSupernet(BN_SUPERNET as never);
    randomiseRunningStats(net, 3);
    net.eval();
    const { images, labels } = bnBatch();
    net.mutator.setMax();
    const before = net.forward(images);
    const { state, blocks } = reorderMidChannelsByL1(net.stateDict());
    expect(blocks.sort()).toEqual(['stage1.0', 'stage1.1', 'stage2.0', 'stage2.1']);
    for (const b of blocks) {
      const l1 = Array.from(tf.sum(tf.abs(state[`${b}.conv2.conv.weight`]!), [0, 1, 3]).dataSync());
      expect(l1).toEqual([...l1].sort((x, y) => y - x));
    }
    // Something moved: at least one block was not already sorted.
    const moved = blocks.some((b) => maxAbsDiff(state[`${b}.conv1.conv.weight`]!, net.stateDict()[`${b}.conv1.conv.weight`]!) > 0);
    expect(moved).toBe(true);
    const twin = new ResNetSupernet(BN_SUPERNET as never);
    twin.loadStateDict(state);
    twin.eval();
    twin.mutator.setMax();
    expect(maxAbsDiff(twin.forward(images), before)).toBeLessThan(1e-5);
    tf.dispose([images, labels, before]);
  });
});
