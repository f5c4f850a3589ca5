import type { Track1Entry } from './format.js';
import { UserError } from '../errors.js';

/** A Track-1 JSON already read, with the path that names it in messages. */
export interface NamedTrack1File {
  path: string;
  entries: readonly Track1Entry[];
}

/** Shards that do not join into exactly the original set of keys. */
export class MergeError extends UserError {
}

const listSome = (keys: readonly string[], max = 10): string =>
  keys.slice(0, max).map((k) => `"${k}"`).join(', ') + (keys.length > max ? `, ... (${keys.length} in all)` : '');

/**
 * Join shard outputs. With `original`, the result has exactly its keys in its order, and a key that
 * is missing, in two shards, or not in the original is refused. Without it, shards must be given in
 * index order (0..n-1) and are interleaved back (shard i holds positions p with p % n === i).
 */
export function mergeShards(shards: readonly NamedTrack1File[], original?: NamedTrack1File): Track1Entry[] {
  if (shards.length === 0) throw new MergeError('No shard files given.');
  const owner = new Map<string, { path: string; entry: Track1Entry }>();
  for (const shard of shards) {
    for (const entry of shard.entries) {
      const prev = owner.get(entry.key);
      if (prev) throw new MergeError(`Key "${entry.key}" is in two shards: ${prev.path} and ${shard.path}. Each key must be scored by exactly one shard.`);
      if (typeof entry.value.acc !== 'number') throw new MergeError(`${shard.path}, key "${entry.key}": no "acc"; the shard is not finished.`);
      owner.set(entry.key, { path: shard.path, entry });
    }
  }
  return original ? mergeByOriginal(owner, original) : interleave(shards);
}

function mergeByOriginal(owner: Map<string, { path: string; entry: Track1Entry }>, original: NamedTrack1File): Track1Entry[] {
  const originalKeys = new Set(original.entries.map((e) => e.key));
  const unknown = [...owner.entries()].filter(([k]) => !originalKeys.has(k));
  if (unknown.length > 0) {
    const [key, { path }] = unknown[0]!;
    throw new MergeError(`Key "${key}" of ${path} is not in ${original.path} (${unknown.length} unknown key(s): ${listSome(unknown.map(([k]) => k))}). Was the shard scored from another --archs file?`);
  }
  const missing = original.entries.filter((e) => !owner.has(e.key)).map((e) => e.key);
  if (missing.length > 0) {
    throw new MergeError(`${missing.length} key(s) of ${original.path} are in no shard: ${listSome(missing)}. Is a shard missing or unfinished?`);
  }
  return original.entries.map(({ key, value }) => {
    const { path, entry } = owner.get(key)!;
    if (entry.value.arch !== value.arch) {
      throw new MergeError(`Key "${key}" has arch ${entry.value.arch} in ${path} but ${value.arch} in ${original.path}.`);
    }
    return entry;
  });
}

function interleave(shards: readonly NamedTrack1File[]): Track1Entry[] {
  const sizes = shards.map((s) => s.entries.length);
  const ordered = sizes.every((n, i) => i === 0 || n <= sizes[i - 1]!);
  if (!ordered || sizes[0]! - sizes[sizes.length - 1]! > 1) {
    throw new MergeError(
      `Shard sizes ${sizes.join(', ')} (in the order given) are not those of --shard 0/${shards.length} ... ${shards.length - 1}/${shards.length}: ` +
        'list the shards in index order, or pass --archs ORIGINAL.json to order and check keys by the original file.',
    );
  }
  const out: Track1Entry[] = [];
  for (let p = 0; p < sizes[0]!; p++) {
    for (const shard of shards) if (p < shard.entries.length) out.push(shard.entries[p]!);
  }
  return out;
}
