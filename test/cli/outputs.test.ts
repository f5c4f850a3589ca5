import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputPathError, prepareOutputFile } from '../../src/cli/outputs.js';

describe('prepareOutputFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'outputs-'));
  const archs = join(dir, 'archs.json');
  writeFileSync(archs, '{}\n');

  it("creates the file's missing folders and returns its absolute path", () => {
    expect(prepareOutputFile(join(dir, 'a', 'b', 'out.json'), '--out')).toBe(join(dir, 'a', 'b', 'out.json'));
  });

  it('refuses an input of the tool, by path or through a link, and leaves it as it was', () => {
    expect(() => prepareOutputFile(archs, '--out', { '--archs': archs })).toThrow('--out ' + archs + ' is the --archs file itself');
    const link = join(dir, 'link.json');
    symlinkSync(archs, link);
    expect(() => prepareOutputFile(link, '--out', { '--archs': archs })).toThrow(OutputPathError);
    expect(() => prepareOutputFile(join(dir, 'other.json'), '--out', { '--archs': archs, '--feature zen': undefined })).not.toThrow();
    expect(readFileSync(archs, 'utf8')).toBe('{}\n');
  });

  it('refuses an existing folder', () => {
    mkdirSync(join(dir, 'folder'));
    expect(() => prepareOutputFile(join(dir, 'folder'), 'the progress file')).toThrow('The progress file');
  });
});
