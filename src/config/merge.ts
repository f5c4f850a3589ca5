import { isDeepStrictEqual } from 'node:util';
import { Origins } from './origins.js';
import { childPath, isMapping, type Mapping } from './paths.js';

/** A config tree with the file of every path. */
export interface TrackedConfig {
  data: Mapping;
  origins: Origins;
}

/** Two bases of one file that set the same leaf to different values. */
export interface BaseConflict {
  path: string;
  first: { file?: string; value: unknown };
  second: { file?: string; value: unknown };
}

/** Deep copy of a parsed YAML value without `_delete_` markers. */
export function cloneClean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneClean);
  if (isMapping(v)) {
    const out: Mapping = {};
    for (const [k, x] of Object.entries(v)) if (k !== '_delete_') out[k] = cloneClean(x);
    return out;
  }
  return v;
}

function replaces(v: unknown): boolean {
  return !isMapping(v) || v._delete_ === true;
}

/**
 * Merge `source` into `target` in place: mappings merge key by key, everything else (lists
 * included) replaces, and a mapping with `_delete_: true` replaces instead of merging.
 * With `conflicts` given (merging sibling bases), a leaf set to two different values is recorded
 * there instead of silently taking the later one.
 */
export function mergeInto(target: TrackedConfig, source: TrackedConfig, conflicts?: BaseConflict[]): void {
  mergeAt(target.data, source.data, '', target.origins, source.origins, conflicts);
}

function mergeAt(
  target: Mapping,
  source: Mapping,
  path: string,
  targetOrigins: Origins,
  sourceOrigins: Origins,
  conflicts: BaseConflict[] | undefined,
): void {
  for (const [key, sv] of Object.entries(source)) {
    if (key === '_delete_') continue;
    const p = childPath(path, key);
    const tv = target[key];
    const present = Object.prototype.hasOwnProperty.call(target, key);
    if (present && isMapping(tv) && !replaces(sv)) {
      mergeAt(tv, sv as Mapping, p, targetOrigins, sourceOrigins, conflicts);
      continue;
    }
    const value = cloneClean(sv);
    if (conflicts && present && !(isMapping(sv) && sv._delete_ === true) && !isDeepStrictEqual(tv, value)) {
      conflicts.push({
        path: p,
        first: { file: targetOrigins.fileOf(p), value: tv },
        second: { file: sourceOrigins.fileOf(p), value },
      });
    }
    target[key] = value;
    targetOrigins.replaceSubtree(p, sourceOrigins);
  }
}

/** True if `data` (one file's own keys) sets `path` itself or replaces one of its ancestors. */
export function setsPath(data: Mapping, path: string): boolean {
  let node: unknown = data;
  for (const part of path.split('.')) {
    if (!isMapping(node) || !Object.prototype.hasOwnProperty.call(node, part)) return false;
    node = node[part];
    if (replaces(node)) return true;
  }
  return true;
}
