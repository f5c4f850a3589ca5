import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic_write.js';
import { decodeTrack1Code } from './codec.js';
import { Track1CodeError } from './errors.js';
import { UserError } from '../errors.js';
import { assertNoReservedKeys } from '../config/safe_keys.js';

/** One architecture of a Track-1 JSON; fields other than `arch` and `acc` are kept as they are. */
export interface Track1Value {
  arch: string;
  acc?: number;
  [field: string]: unknown;
}

/** A keyed entry; a Track-1 file is a list of these in the file's key order. */
export interface Track1Entry {
  key: string;
  value: Track1Value;
}

export interface ReadTrack1Options {
  /** Every entry must have a finite numeric `acc` (ground truth, predictions, shard outputs). */
  requireAcc?: boolean;
  /**
   * Decode every `arch` and report the first invalid one with its key: `true` with the Track-1
   * codec, or with another space's decoder (e.g. a ResNetCodeSpace built from a config).
   */
  validateCodes?: boolean | { decode(code: string): unknown };
}

/** A Track-1 JSON file that cannot be used, naming the file, the key (when one is at fault) and why. */
export class Track1FormatError extends UserError {
  constructor(
    readonly file: string,
    readonly key: string | undefined,
    detail: string,
  ) {
    super(`${file}${key === undefined ? '' : `, key "${key}"`}: ${detail}`);
  }
}

/** Read a Track-1 JSON (`{"arch1": {"arch": "1...", "acc": 0.0}, ...}`) keeping its key order. */
export function readTrack1File(path: string, options: ReadTrack1Options = {}): Track1Entry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Track1FormatError(path, undefined, `cannot read the file (${(e as Error).message}).`);
  }
  return parseTrack1Json(text, path, options);
}

/** Parse the text of a Track-1 JSON; `source` names it in errors. */
export function parseTrack1Json(text: string, source: string, options: ReadTrack1Options = {}): Track1Entry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Track1FormatError(source, undefined, `not valid JSON (${(e as Error).message}).`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Track1FormatError(source, undefined, 'expected a JSON object {"arch1": {"arch": "1...", "acc": 0.0}, ...}.');
  }
  assertNoReservedKeys(data, source);
  const record = data as Record<string, unknown>;
  // JS objects list integer-like keys ("1", "2") first, so take the order from the text itself.
  const keys = topLevelKeys(text, source);
  return keys.map((key) => {
    const value = record[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Track1FormatError(source, key, 'expected an object {"arch": "1...", "acc": ...}.');
    }
    const v = value as Record<string, unknown>;
    if (typeof v.arch !== 'string') {
      throw new Track1FormatError(source, key, `missing or non-string "arch" field (got ${JSON.stringify(v.arch)}).`);
    }
    if ('acc' in v && (typeof v.acc !== 'number' || !Number.isFinite(v.acc))) {
      throw new Track1FormatError(source, key, `"acc" must be a finite number (got ${JSON.stringify(v.acc)}).`);
    }
    if (options.requireAcc && !('acc' in v)) {
      throw new Track1FormatError(source, key, 'missing "acc" field.');
    }
    if (options.validateCodes) {
      try {
        if (options.validateCodes === true) decodeTrack1Code(v.arch);
        else options.validateCodes.decode(v.arch);
      } catch (e) {
        if (e instanceof Track1CodeError) throw new Track1FormatError(source, key, e.message);
        throw e;
      }
    }
    return { key, value: v as Track1Value };
  });
}

/** Serialize entries in their order, one architecture per line (diff- and grep-friendly). */
export function formatTrack1Json(entries: readonly Track1Entry[]): string {
  if (entries.length === 0) return '{}\n';
  const lines = entries.map(({ key, value }) => {
    const fields = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    return `  ${JSON.stringify(key)}: {${fields.join(', ')}}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** Write a Track-1 JSON atomically (temporary file, then rename). */
export function writeTrack1File(path: string, entries: readonly Track1Entry[]): void {
  writeFileAtomic(path, formatTrack1Json(entries));
}

/** Keys of the top-level object in text order; refuses duplicates (JSON.parse would keep the last). */
function topLevelKeys(text: string, source: string): string[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      let escaped = false;
      i++;
      for (let d = text.charCodeAt(i); d !== 34; d = text.charCodeAt(i)) {
        if (d === 92 /* \ */) {
          escaped = true;
          i += 2;
        } else i++;
      }
      i++;
      if (depth === 1) {
        let j = i;
        while (j < n && isJsonSpace(text.charCodeAt(j))) j++;
        if (text.charCodeAt(j) === 58 /* : */) {
          const key = escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
          if (seen.has(key)) throw new Track1FormatError(source, key, 'the key appears twice in the file.');
          seen.add(key);
          keys.push(key);
        }
      }
      continue;
    }
    if (c === 123 || c === 91) depth++; // { [
    else if (c === 125 || c === 93) depth--; // } ]
    i++;
  }
  return keys;
}

const isJsonSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;
