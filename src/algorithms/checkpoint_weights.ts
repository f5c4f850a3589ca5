import { readFileSync, statSync } from 'node:fs';
import { tf, type Tensor } from '../tf.js';
import { CheckpointError, CheckpointStore, decodeCheckpoint } from '../engine/checkpoint.js';

/** A checkpoint file, or a work_dir standing for its latest checkpoint (as `--resume` picks it). */
export function resolveCheckpointPath(path: string): string {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return path;
  }
  if (!isDir) return path;
  const latest = new CheckpointStore(path).latestPath();
  if (latest === null) throw new CheckpointError(`Directory ${path} holds no checkpoint (*.ckpt); give a checkpoint file or a work_dir that training has written to.`, path);
  return latest;
}

/** Read and verify a checkpoint file (or a work_dir's latest); all its tensors by name (the caller disposes them). */
export function readCheckpointTensors(given: string): Record<string, Tensor> {
  const path = resolveCheckpointPath(given);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CheckpointError(`Cannot read checkpoint ${path}: ${(e as Error).message}`, path);
  }
  const ckpt = decodeCheckpoint(bytes, path);
  return Object.fromEntries(
    Object.entries(ckpt.tensors).map(([name, t]) => [name, tf.tensor(t.values, t.shape, t.dtype)]),
  );
}

/**
 * The tensors of a checkpoint that form the state dict of a network whose variable names are
 * `names`, under whatever prefix the checkpoint keeps them (`architecture.`, `model.architecture.`,
 * none...): the prefix is found from where the first name occurs. Null when no prefix fits all names.
 */
export function selectWeights(tensors: Record<string, Tensor>, names: readonly string[]): Record<string, Tensor> | null {
  const first = names[0];
  if (first === undefined) return {};
  const prefixes = Object.keys(tensors)
    .filter((k) => k === first || k.endsWith(`.${first}`))
    .map((k) => k.slice(0, k.length - first.length))
    .sort((a, b) => a.length - b.length);
  for (const p of prefixes) {
    if (names.every((n) => `${p}${n}` in tensors)) return Object.fromEntries(names.map((n) => [n, tensors[`${p}${n}`]!]));
  }
  return null;
}

/**
 * When no prefix fits all `names`: the checkpoint's tensors under the prefix that holds most of
 * them, without the prefix, so a strict load can name what is missing, extra or of another shape.
 * Null when the checkpoint holds none of the names under any prefix.
 */
export function closestWeights(tensors: Record<string, Tensor>, names: readonly string[]): Record<string, Tensor> | null {
  const prefixes = new Set<string>();
  for (const n of names) {
    for (const k of Object.keys(tensors)) if (k === n || k.endsWith(`.${n}`)) prefixes.add(k.slice(0, k.length - n.length));
    if (prefixes.size > 0) break;
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const p of prefixes) {
    const count = names.filter((n) => `${p}${n}` in tensors).length;
    if (count > bestCount) [best, bestCount] = [p, count];
  }
  if (best === undefined) return null;
  const p = best;
  return Object.fromEntries(Object.entries(tensors).filter(([k]) => k.startsWith(p) && !k.slice(p.length).includes('/')).map(([k, t]) => [k.slice(p.length), t]));
}
