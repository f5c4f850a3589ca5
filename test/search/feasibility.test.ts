import { describe, expect, it } from 'vitest';
import { checkFeasible, ConstraintError } from '../../src/search/constraints.js';

const space = { min: { macs: 2374, params: 119 }, max: { macs: 11788, params: 691 } };

describe('checkFeasible (search constraints against the space, before any data is loaded)', () => {
  it('refuses a range below the smallest or above the largest subnet, naming the config path, the range and the space', () => {
    expect(() => checkFeasible({ macs: [0, 1000] }, space)).toThrow(ConstraintError);
    expect(() => checkFeasible({ macs: [0, 1000] }, space)).toThrow(
      /^search_cfg\.searcher\.constraints\.macs is \[0, 1000\], which lies below the smallest subnet \(2,374\): no subnet can meet it\. The space spans macs \[2,374, 11,788\]/,
    );
    expect(() => checkFeasible({ params: [700, 900] }, space)).toThrow(/constraints\.params is \[700, 900\], which lies above the largest subnet \(691\)/);
  });

  it('accepts ranges that overlap the space', () => {
    checkFeasible({}, space);
    checkFeasible({ macs: [0, 2374], params: [691, 1e9] }, space);
  });
});
