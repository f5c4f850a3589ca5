import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MergeError, mergeShards, readTrack1File, selectShard, writeTrack1File, type Track1Entry } from '../../src/track1/index.js';
import { fakeAcc, makeEntries, tempDir } from './helpers.js';

const scored = (entries: Track1Entry[]) => entries.map(({ key, value }) => ({ key, value: { ...value, acc: fakeAcc(value.arch) } }));

function setup(n = 10, count = 3) {
  const dir = tempDir();
  const original = makeEntries(n);
  const archs = join(dir, 'archs.json');
  writeTrack1File(archs, original);
  const shardPaths = Array.from({ length: count }, (_, i) => {
    const p = join(dir, `out.${i}.json`);
    writeTrack1File(p, scored(selectShard(original, { index: i, count })));
    return p;
  });
  return { dir, original, archs, shardPaths };
}

const merge = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'tools/track1/merge.ts', ...args], { encoding: 'utf8' });

describe('mergeShards', () => {
  const file = (path: string, entries: Track1Entry[]) => ({ path, entries });
  const original = makeEntries(6);
  const all = scored(original);

  it('refuses a missing, duplicated or unknown key, and a changed arch', () => {
    const o = file('orig.json', original);
    expect(() => mergeShards([file('a', all.slice(0, 3)), file('b', all.slice(4))], o)).toThrow(/1 key\(s\) of orig\.json are in no shard: "arch4"/);
    expect(() => mergeShards([file('a', all.slice(0, 4)), file('b', all.slice(3))], o)).toThrow(/Key "arch4" is in two shards: a and b/);
    const stranger = { key: 'zz', value: { arch: all[0]!.value.arch, acc: 0.5 } };
    expect(() => mergeShards([file('a', [...all, stranger])], o)).toThrow(/Key "zz" of a is not in orig\.json/);
    const changed = all.map((e, i) => (i === 2 ? { key: e.key, value: { ...e.value, arch: all[0]!.value.arch } } : e));
    expect(() => mergeShards([file('a', changed)], o)).toThrow(/Key "arch3" has arch/);
    expect(() => mergeShards([file('a', [{ key: 'arch1', value: { arch: all[0]!.value.arch } }])], o)).toThrow(/no "acc"/);
    expect(() => mergeShards([], o)).toThrow(MergeError);
  });

  it('without the original, interleaves shards listed in index order and refuses an impossible order', () => {
    const shards = [0, 1, 2].map((i) => file(`s${i}`, selectShard(all, { index: i, count: 3 })));
    expect(mergeShards(shards)).toEqual(all);
    const uneven = [0, 1, 2, 3].map((i) => file(`s${i}`, selectShard(scored(makeEntries(7)), { index: i, count: 4 })));
    expect(() => mergeShards([uneven[3]!, uneven[0]!, uneven[1]!, uneven[2]!])).toThrow(/list the shards in index order/);
  });
});

describe('tools/track1/merge.ts', () => {
  it('joins shards in the original order', () => {
    const { dir, original, archs, shardPaths } = setup();
    const out = join(dir, 'merged.json');
    const r = merge([out, ...shardPaths.reverse(), '--archs', archs]);
    expect(r.status).toBe(0);
    expect(readTrack1File(out)).toEqual(scored(original));
  });

  it('exits 2 with a clear message on a missing shard, a duplicate or bad usage', () => {
    const { dir, archs, shardPaths } = setup();
    const out = join(dir, 'merged.json');
    const missing = merge([out, shardPaths[0]!, shardPaths[1]!, '--archs', archs]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/are in no shard: "arch3", "arch6", "arch9"/);
    expect(missing.stderr).not.toMatch(/at .*merge\.ts/); // no stack trace without --debug
    const dup = merge([out, shardPaths[0]!, shardPaths[0]!, shardPaths[1]!, shardPaths[2]!, '--archs', archs]);
    expect(dup.status).toBe(2);
    expect(dup.stderr).toMatch(/is in two shards/);
    expect(merge([out]).status).toBe(2);
    expect(merge([out, shardPaths[0]!, '--bogus']).stderr).toMatch(/Unknown option '--bogus'/);
    writeFileSync(join(dir, 'broken.json'), '{"arch1": {"acc": 0.5}}');
    const badJson = merge([out, join(dir, 'broken.json')]);
    expect(badJson.status).toBe(2);
    expect(badJson.stderr).toMatch(/broken\.json, key "arch1": missing or non-string "arch"/);
  });
});
