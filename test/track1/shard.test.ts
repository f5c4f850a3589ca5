import { describe, expect, it } from 'vitest';
import { ShardSpecError, parseShard, selectShard } from '../../src/track1/index.js';

describe('shards', () => {
  it('parses i/n (0-based)', () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard(' 3 / 4 ')).toEqual({ index: 3, count: 4 });
  });

  it('refuses bad specs with a clear message', () => {
    for (const [spec, msg] of [
      ['4/4', /i must be in 0\.\.3 \(shards are 0-based\)/],
      ['1/0', /n must be at least 1/],
      ['a/4', /not of the form i\/n/],
      ['-1/4', /not of the form i\/n/],
      ['1.5/4', /not of the form/],
      ['2', /not of the form/],
    ] as const) {
      expect(() => parseShard(spec)).toThrow(ShardSpecError);
      expect(() => parseShard(spec)).toThrow(msg);
    }
  });

  it('selects positions modulo n; the shards partition the input', () => {
    const items = Array.from({ length: 11 }, (_, i) => i);
    expect(selectShard(items, { index: 1, count: 3 })).toEqual([1, 4, 7, 10]);
    const all = [0, 1, 2].flatMap((index) => selectShard(items, { index, count: 3 }));
    expect(all.sort((a, b) => a - b)).toEqual(items);
    expect(selectShard(items, { index: 0, count: 1 })).toEqual(items);
  });
});
