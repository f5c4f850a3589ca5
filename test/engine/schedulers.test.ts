import { describe, expect, it } from 'vitest';
import '../../src/engine/index.js';
import { LrSchedule } from '../../src/engine/schedulers.js';

describe('LrSchedule', () => {
  it('chains a linear warm-up and a cosine decay by iteration', () => {
    const s = LrSchedule.build(
      [
        { type: 'LinearLR', start_factor: 0.1, begin: 0, end: 5, by_epoch: false },
        { type: 'CosineAnnealingLR', begin: 5, end: 25, T_max: 20, eta_min: 0.001, by_epoch: false },
      ],
      0.5,
      10,
    );
    for (let t = 0; t < 5; t++) expect(s.lrAt(t)).toBeCloseTo(0.5 * (0.1 + (0.9 * t) / 4), 12);
    for (let t = 5; t < 25; t++) expect(s.lrAt(t)).toBeCloseTo(0.001 + ((0.5 - 0.001) * (1 + Math.cos((Math.PI * (t - 5)) / 20))) / 2, 12);
    expect(s.lrAt(40)).toBeCloseTo(s.lrAt(24), 12);
  });

  it('updates by_epoch schedulers once per epoch and converts them to iterations on request', () => {
    const perEpoch = LrSchedule.build([{ type: 'CosineAnnealingLR', T_max: 4, by_epoch: true }], 1, 10);
    expect(perEpoch.lrAt(19)).toBeCloseTo((1 + Math.cos(Math.PI / 4)) / 2, 12);
    expect(perEpoch.lrAt(20)).toBeCloseTo((1 + Math.cos(Math.PI / 2)) / 2, 12);
    const perIter = LrSchedule.build([{ type: 'CosineAnnealingLR', T_max: 4, by_epoch: true, convert_to_iter_based: true }], 1, 10);
    expect(perIter.lrAt(15)).toBeCloseTo((1 + Math.cos((Math.PI * 15) / 40)) / 2, 12);
  });

  it('applies MultiStepLR milestones counted in epochs', () => {
    const s = LrSchedule.build([{ type: 'MultiStepLR', milestones: [2, 4], gamma: 0.1 }], 1, 3);
    expect([0, 5, 6, 11, 12].map((t) => s.lrAt(t))).toEqual([1, 1, 0.1, 0.1, 0.1 ** 2]);
  });

  it('keeps the base rate without schedulers and rejects an empty window', () => {
    expect(LrSchedule.build(undefined, 0.3, 5).lrAt(100)).toBe(0.3);
    expect(() => LrSchedule.build([{ type: 'LinearLR', begin: 4, end: 4 }], 1, 1)).toThrow(/greater than begin/);
  });
});
