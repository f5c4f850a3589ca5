import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Track1FormatError, formatTrack1Json, parseTrack1Json, readTrack1File, writeTrack1File } from '../../src/track1/index.js';
import { tempDir } from './helpers.js';

const CODE = '1252233313000000223212122253130000000000006515000000';

function formatError(fn: () => unknown): Track1FormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Track1FormatError);
    return e as Track1FormatError;
  }
  throw new Error('expected a Track1FormatError');
}

describe('Track-1 JSON format', () => {
  it('keeps the key order of the file, integer-like keys included', () => {
    const text = `{"b": {"arch": "${CODE}", "acc": 0.5}, "10": {"acc": 0.0, "arch": "${CODE}"}, "2": {"arch": "${CODE}"}}`;
    const entries = parseTrack1Json(text, 'x.json');
    expect(entries.map((e) => e.key)).toEqual(['b', '10', '2']);
    expect(Object.keys(entries[1]!.value)).toEqual(['acc', 'arch']);
  });

  it('reads the official list in order', () => {
    const entries = readTrack1File('data/track1/CVPR_2022_NAS_Track1_test.json', { validateCodes: true });
    expect(entries.length).toBe(45000);
    expect(entries[0]!.key).toBe('arch1');
    expect(entries[44999]!.key).toBe('arch45000');
    expect(entries[0]!.value.arch).toBe(CODE);
  });

  it('names the file and key in its errors', () => {
    expect(formatError(() => parseTrack1Json('{"a": ', 'f.json')).message).toMatch(/^f\.json: not valid JSON/);
    expect(formatError(() => parseTrack1Json('[1]', 'f.json')).message).toMatch(/expected a JSON object/);
    const noArch = formatError(() => parseTrack1Json('{"a": {"arch": "' + CODE + '"}, "k2": {"acc": 1}}', 'f.json'));
    expect(noArch.key).toBe('k2');
    expect(noArch.message).toMatch(/f\.json, key "k2": missing or non-string "arch"/);
    expect(formatError(() => parseTrack1Json(`{"a": {"arch": "${CODE}", "acc": "x"}}`, 'f.json')).message).toMatch(/"acc" must be a finite number/);
    expect(formatError(() => parseTrack1Json(`{"a": {"arch": "${CODE}"}}`, 'f.json', { requireAcc: true })).message).toMatch(/key "a": missing "acc"/);
    expect(formatError(() => parseTrack1Json(`{"a": {"arch": "${CODE}"}, "a": {"arch": "${CODE}"}}`, 'f.json')).message).toMatch(/appears twice/);
    const bad = formatError(() => parseTrack1Json(`{"a": {"arch": "9${CODE.slice(1)}"}}`, 'f.json', { validateCodes: true }));
    expect(bad.message).toMatch(/f\.json, key "a": Invalid Track-1 code .*position 1/);
    expect(formatError(() => readTrack1File('/nonexistent/x.json')).message).toMatch(/cannot read/);
  });

  it('writes atomically and reads back the same entries, one key per line', () => {
    const dir = tempDir();
    const path = join(dir, 'out.json');
    const entries = [
      { key: 'arch1', value: { acc: 0.25, arch: CODE } },
      { key: 'x "quoted", key', value: { arch: CODE, acc: 0.5, note: 'a,"b"' } },
    ];
    writeFileSync(path, 'old');
    writeTrack1File(path, entries);
    expect(readTrack1File(path)).toEqual(entries);
    expect(readdirSync(dir)).toEqual(['out.json']); // no temporary file left behind
    expect(readFileSync(path, 'utf8').split('\n')[1]).toBe(`  "arch1": {"acc": 0.25, "arch": "${CODE}"},`);
    expect(formatTrack1Json([])).toBe('{}\n');
    expect(existsSync(path)).toBe(true);
  });
});
