import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ProgressJournalError,
  ScoringError,
  mergeShards,
  readTrack1File,
  runScoringLoop,
  selectShard,
  sortByArch,
  writeTrack1File,
  type ScoringProgress,
  type Track1Entry,
} from '../../src/track1/index.js';
import { fakeAcc, makeEntries, tempDir } from './helpers.js';

/** A fake scorer that counts calls per key and can crash before the n-th call. */
function fakeScorer(crashAtCall?: number) {
  const calls = new Map<string, number>();
  let n = 0;
  const score = async (batch: readonly Track1Entry[]) => {
    n++;
    if (n === crashAtCall) throw new Error('simulated kill');
    for (const e of batch) calls.set(e.key, (calls.get(e.key) ?? 0) + 1);
    return batch.map((e) => fakeAcc(e.value.arch));
  };
  return { score, calls };
}

const journalKeys = (path: string) =>
  readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { key: string }).key);

const expected = (entries: Track1Entry[]) =>
  entries.map(({ key, value }) => ({ key, value: { ...value, acc: fakeAcc(value.arch) } }));

describe('resumable scoring loop', () => {
  it('fills acc in input order, whatever the work order, and reports progress', async () => {
    const dir = tempDir();
    const entries = makeEntries(10);
    const { score: fake, calls } = fakeScorer();
    const reports: ScoringProgress[] = [];
    let t = 0;
    const score = (batch: readonly Track1Entry[]) => {
      t += 1000 * batch.length; // one simulated second per subnet
      return fake(batch);
    };
    const res = await runScoringLoop({
      entries, score, order: 'arch', batchSize: 3,
      progressPath: join(dir, 'p.jsonl'), outPath: join(dir, 'out.json'),
      onProgress: (p) => reports.push(p), now: () => t,
    });
    expect(readTrack1File(join(dir, 'out.json'))).toEqual(expected(entries));
    expect(res.entries).toEqual(expected(entries));
    expect(journalKeys(join(dir, 'p.jsonl'))).toEqual(sortByArch(entries).map((e) => e.key));
    expect([...calls.values()].every((c) => c === 1)).toBe(true);
    expect(reports.map((r) => r.done)).toEqual([0, 3, 6, 9, 10]);
    const last = reports[reports.length - 1]!;
    expect(last.etaMs).toBe(0);
    expect(reports[0]!.etaMs).toBeUndefined();
    expect(reports[1]!.perMinute).toBeCloseTo(60); // 3 subnets in 3 s
    expect(reports[1]!.etaMs).toBeCloseTo(7000);
    expect(reports[1]!.lastKeys).toHaveLength(3);
  });

  it('resumes after a kill between subnets, scoring each key once', async () => {
    const dir = tempDir();
    const entries = makeEntries(12);
    const paths = { progressPath: join(dir, 'p.jsonl'), outPath: join(dir, 'out.json') };
    const first = fakeScorer(6);
    await expect(runScoringLoop({ entries, score: first.score, ...paths })).rejects.toThrow('simulated kill');
    expect(existsSync(paths.outPath)).toBe(false);
    expect(journalKeys(paths.progressPath)).toHaveLength(5);
    const second = fakeScorer();
    const res = await runScoringLoop({ entries, score: second.score, ...paths });
    expect(res.resumed).toBe(5);
    expect(res.scoredThisRun).toBe(7);
    for (const e of entries) expect((first.calls.get(e.key) ?? 0) + (second.calls.get(e.key) ?? 0)).toBe(1);
    expect(readTrack1File(paths.outPath)).toEqual(expected(entries));
    expect(new Set(journalKeys(paths.progressPath)).size).toBe(12);
  });

  it('drops a partial last line left by a kill inside the write and rescores only that key', async () => {
    const dir = tempDir();
    const entries = makeEntries(8);
    const paths = { progressPath: join(dir, 'p.jsonl'), outPath: join(dir, 'out.json') };
    await expect(runScoringLoop({ entries, score: fakeScorer(4).score, ...paths })).rejects.toThrow();
    // The 4th result was being written when the process died: half a line, no newline.
    const line = JSON.stringify({ key: 'arch4', arch: entries[3]!.value.arch, acc: 0.123 });
    appendFileSync(paths.progressPath, line.slice(0, 20));
    const second = fakeScorer();
    const res = await runScoringLoop({ entries, score: second.score, ...paths });
    expect(res.droppedBytes).toBe(20);
    expect([...second.calls.keys()]).toEqual(['arch4', 'arch5', 'arch6', 'arch7', 'arch8']);
    expect(journalKeys(paths.progressPath)).toEqual(entries.map((e) => e.key));
    expect(readTrack1File(paths.outPath)).toEqual(expected(entries));
    // Running again scores nothing and rewrites the same output.
    const third = fakeScorer();
    expect((await runScoringLoop({ entries, score: third.score, ...paths })).scoredThisRun).toBe(0);
    expect(third.calls.size).toBe(0);
  });

  it('refuses a progress file from another run or with a corrupt middle line', async () => {
    const dir = tempDir();
    const entries = makeEntries(4);
    const progressPath = join(dir, 'p.jsonl');
    const outPath = join(dir, 'out.json');
    writeFileSync(progressPath, `${JSON.stringify({ key: 'zzz', arch: entries[0]!.value.arch, acc: 0.1 })}\n`);
    await expect(runScoringLoop({ entries, score: fakeScorer().score, progressPath, outPath })).rejects.toThrow(/key "zzz" is not among/);
    writeFileSync(progressPath, `${JSON.stringify({ key: 'arch1', arch: entries[1]!.value.arch, acc: 0.1 })}\n`);
    await expect(runScoringLoop({ entries, score: fakeScorer().score, progressPath, outPath })).rejects.toThrow(/another --archs/);
    writeFileSync(progressPath, `garbage\n${JSON.stringify({ key: 'arch1', arch: entries[0]!.value.arch, acc: 0.1 })}\n`);
    await expect(runScoringLoop({ entries, score: fakeScorer().score, progressPath, outPath })).rejects.toThrow(ProgressJournalError);
  });

  it('refuses scorer results that are not one finite number per entry', async () => {
    const dir = tempDir();
    const paths = { progressPath: join(dir, 'p.jsonl'), outPath: join(dir, 'out.json') };
    const entries = makeEntries(3);
    await expect(runScoringLoop({ entries, ...paths, batchSize: 2, score: async () => [0.5] })).rejects.toThrow(ScoringError);
    await expect(runScoringLoop({ entries, ...paths, score: async () => [Number.NaN] })).rejects.toThrow(/expected a finite number/);
    await expect(runScoringLoop({ entries, ...paths, score: async (b) => b.map(() => 0), order: (p) => p.slice(1) })).rejects.toThrow(/each exactly once/);
  });

  it('shards scored separately and merged equal a single run', async () => {
    const dir = tempDir();
    const entries = makeEntries(23);
    const single = await runScoringLoop({ entries, score: fakeScorer().score, progressPath: join(dir, 'all.jsonl'), outPath: join(dir, 'all.json') });
    const shards = [];
    for (let i = 0; i < 4; i++) {
      const outPath = join(dir, `out.${i}.json`);
      await runScoringLoop({ entries: selectShard(entries, { index: i, count: 4 }), score: fakeScorer().score, order: 'arch', progressPath: `${outPath}.progress.jsonl`, outPath });
      shards.push({ path: outPath, entries: readTrack1File(outPath, { requireAcc: true }) });
    }
    const original = join(dir, 'archs.json');
    writeTrack1File(original, entries);
    expect(mergeShards(shards, { path: original, entries: readTrack1File(original) })).toEqual(single.entries);
    expect(mergeShards(shards)).toEqual(single.entries);
  });

  it('survives a real SIGKILL of the scoring process', async () => {
    const dir = tempDir();
    const entries = makeEntries(20);
    const archs = join(dir, 'archs.json');
    writeTrack1File(archs, entries);
    const [out, progress, calls] = ['out.json', 'p.jsonl', 'calls.txt'].map((f) => join(dir, f)) as [string, string, string];
    const runChild = (delayMs: number, killAfterLines?: number) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'test/track1/fixtures/score_child.ts', archs, out, progress, calls, String(delayMs)], { stdio: 'inherit' });
        const timer = killAfterLines === undefined ? undefined : setInterval(() => {
          if (existsSync(progress) && readFileSync(progress, 'utf8').split('\n').length > killAfterLines) child.kill('SIGKILL');
        }, 5);
        child.on('exit', (code) => { clearInterval(timer); resolve(code); });
      });
    expect(await runChild(60, 5)).toBe(null); // killed by the signal
    expect(existsSync(out)).toBe(false);
    const before = journalKeys(progress).length;
    expect(before).toBeGreaterThanOrEqual(5);
    expect(before).toBeLessThan(20);
    expect(await runChild(0)).toBe(0);
    const recorded = journalKeys(progress);
    expect(recorded.length).toBe(20);
    expect(new Set(recorded).size).toBe(20);
    const callCounts = new Map<string, number>();
    for (const k of readFileSync(calls, 'utf8').split('\n').filter(Boolean)) callCounts.set(k, (callCounts.get(k) ?? 0) + 1);
    // Only the subnet in flight at the kill may have been started twice; it is recorded once.
    expect([...callCounts.values()].filter((c) => c > 1).length).toBeLessThanOrEqual(1);
    expect(readTrack1File(out)).toEqual(expected(entries));
  });
});
