import { UserError } from '../errors.js';
/** A shard of the work: `index` in 0..count-1 (0-based, like Slurm array and Kubernetes indices). */
export interface Shard {
  index: number;
  count: number;
}

export class ShardSpecError extends UserError {
  constructor(
    readonly spec: string,
    detail: string,
  ) {
    super(`Invalid --shard "${spec}": ${detail} Expected i/n with integers 0 <= i < n, e.g. --shard 0/4 ... --shard 3/4.`);
  }
}

/** Parse `--shard i/n`. */
export function parseShard(spec: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new ShardSpecError(spec, 'it is not of the form i/n.');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count)) throw new ShardSpecError(spec, 'the numbers are too large.');
  if (count < 1) throw new ShardSpecError(spec, 'n must be at least 1.');
  if (index >= count) throw new ShardSpecError(spec, `i must be in 0..${count - 1} (shards are 0-based).`);
  return { index, count };
}

/**
 * The items of one shard: those whose position p in the input order has p % count === index.
 * Interleaving (rather than contiguous blocks) mixes small and large subnets in every shard, so
 * shards take about the same time; the union of all shards is the input, each item exactly once.
 */
export function selectShard<T>(items: readonly T[], shard: Shard): T[] {
  if (shard.count === 1) return [...items];
  return items.filter((_, p) => p % shard.count === shard.index);
}
