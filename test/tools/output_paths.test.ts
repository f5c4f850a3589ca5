import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { OutputPathError, prepareOutputDir, prepareOutputFile } from '../../src/cli/outputs.js';
import { main as scoreMain } from '../../tools/track1/score.js';
import { main as complexityMain } from '../../tools/analysis/complexity.js';
import { sink, writeTinyFixture } from './fixture.js';

const official = JSON.parse(readFileSync('data/track1/CVPR_2022_NAS_Track1_test.json', 'utf8')) as Record<string, { arch: string; acc: number }>;
const keys = Object.keys(official).slice(0, 3);

function tool(script: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolveRun({ code, stderr }));
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('output paths', () => {
  it('prepareOutputFile creates missing folders and refuses a folder or a file in the way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outputs-'));
    const file = prepareOutputFile(join(dir, 'a', 'b', 'out.json'), '--out');
    expect(statSync(join(dir, 'a', 'b')).isDirectory()).toBe(true);
    expect(file).toBe(join(dir, 'a', 'b', 'out.json'));
    writeFileSync(join(dir, 'notes.txt'), 'keep');
    expect(() => prepareOutputFile(join(dir, 'notes.txt', 'out.json'), '--out')).toThrow(OutputPathError);
    expect(() => prepareOutputFile(join(dir, 'notes.txt', 'x', 'out.json'), '--out')).toThrow(/notes\.txt is a file, not a folder/);
    expect(() => prepareOutputFile(join(dir, 'a'), '--out')).toThrow(/^--out .*a is an existing folder/);
    expect(() => prepareOutputDir(join(dir, 'notes.txt'), '--out', 'the export')).toThrow(/^--out .*notes\.txt is an existing file, but it names a folder \(for the export\)/);
    expect(prepareOutputDir(join(dir, 'c', 'd'), 'the work dir', 'logs')).toBe(join(dir, 'c', 'd'));
    expect(statSync(join(dir, 'c', 'd')).isDirectory()).toBe(true);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep');
  });

  it('track1/merge.ts and rank_consistency.ts --plot create the folder of their output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outputs-'));
    const pred = join(dir, 'pred.json');
    const gt = join(dir, 'gt.json');
    writeFileSync(pred, JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, { arch: official[k]!.arch, acc: 0.5 + 0.1 * i }]))));
    writeFileSync(gt, JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, { arch: official[k]!.arch, acc: 0.4 + 0.1 * i }]))));
    const [merged, plotted] = await Promise.all([
      tool('tools/track1/merge.ts', [join(dir, 'no_such_dir', 'submission.json'), pred]),
      tool('tools/analysis/rank_consistency.ts', [pred, gt, '--plot', join(dir, 'plots', 'x.svg')]),
    ]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'no_such_dir', 'submission.json'), 'utf8')))).toEqual(keys);
    expect(plotted.code, plotted.stderr).toBe(0);
    expect(readFileSync(join(dir, 'plots', 'x.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('analysis/complexity.ts --out and track1/score.ts --out create the folder of their output', async () => {
    const fx = writeTinyFixture('track1');
    const archs = join(fx.dir, 'archs.json');
    writeFileSync(archs, JSON.stringify(Object.fromEntries(keys.map((k) => [k, official[k]]))));
    const counted = join(fx.dir, 'counts', 'complexity.json');
    expect(await complexityMain([fx.config, '--archs', archs, '--out', counted], sink(), sink())).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(counted, 'utf8')))).toEqual(keys);
    const scored = join(fx.dir, 'scores', 'shard0', 'scores.json');
    const args = [fx.config, fx.checkpoint, '--archs', archs, '--out', scored, '--calib-samples', '8', '--val-samples', '8', '--backend', 'cpu'];
    expect(await scoreMain(args, sink())).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(scored, 'utf8')))).toEqual(keys);
    expect(existsSync(`${scored}.progress.jsonl`)).toBe(true);
  });
});
