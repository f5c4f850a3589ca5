import { readFileSync } from 'node:fs';
import { tf, type Tensor } from '../tf.js';
import { CheckpointError, decodeCheckpoint } from '../engine/checkpoint.js';

/** Read and verify a checkpoint file; all its tensors by name (the caller disposes them). */
export function readCheckpointTensors(path: string): Record<string, Tensor> {
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
