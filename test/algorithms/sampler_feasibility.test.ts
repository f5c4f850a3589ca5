import { describe, expect, it } from 'vitest';
import '../../src/engine/losses.js';
import { SPOS } from '../../src/algorithms/spos.js';
import { BigNAS } from '../../src/algorithms/bignas.js';
import { SamplingConstraintError } from '../../src/algorithms/samplers/constraints.js';
import { ChannelWarmupSampler } from '../../src/algorithms/samplers/index.js';
import { AlgorithmConfigError } from '../../src/algorithms/errors.js';
import { isUserError } from '../../src/errors.js';
import { TinySupernet } from './tiny_supernet.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('sampler constraints that no subnet can meet', () => {
  it('fail when the algorithm is built, as a user error naming model.sampler.constraints and the space', () => {
    const net = new TinySupernet({ widths: [2, 3] });
    const space = { min: net.complexity(net.mutator.setMin()), max: net.complexity(net.mutator.setMax()) };
    net.dispose();
    for (const Algo of [SPOS, BigNAS]) {
      const e = thrown(() => new Algo({ architecture: { type: 'test/TinySupernet', widths: [2, 3] }, sampler: { type: 'UniformSampler', constraints: { macs: [0, 1] } } } as never));
      expect(e).toBeInstanceOf(SamplingConstraintError);
      expect(isUserError(e)).toBe(true);
      expect(e.message).toMatch(/^model\.sampler\.constraints \(macs in \[0, 1\]\) cannot be met: the macs range \[0, 1\] lies below the smallest subnet/);
      expect(e.message).toContain(`macs [${space.min.macs}, ${space.max.macs}]`);
    }
    const above = thrown(() => new SPOS({ architecture: { type: 'test/TinySupernet' }, sampler: { type: 'UniformSampler', constraints: { params: [1e12, null] } } } as never));
    expect(above.message).toMatch(/params range \[1000000000000, inf\] lies above the largest subnet/);
    // Feasible constraints build as before.
    new SPOS({ architecture: { type: 'test/TinySupernet' }, sampler: { type: 'UniformSampler', constraints: { macs: [0, null] } } } as never).dispose();
  });

  it('sampler and algorithm config errors are user errors (exit 2, no stack)', () => {
    expect(isUserError(thrown(() => new ChannelWarmupSampler({ warmup_epochs: 1, alias_pattern: 'chan(' })))).toBe(true);
    const e = thrown(() => new SPOS({ architecture: { type: 'test/TinyFixedNet' } }));
    expect(e).toBeInstanceOf(AlgorithmConfigError);
    expect(isUserError(e)).toBe(true);
  });
});
