import { UserError } from '../errors.js';
import { tf } from '../tf.js';
import type { Batch, DataLoader } from '../datasets/types.js';

/** Anything that yields batches: a loader, or batches preloaded in memory. */
export type BatchSource = DataLoader | readonly Batch[];

export class BatchSourceError extends UserError {
  override readonly name = 'BatchSourceError';
}

/**
 * Read the first `numSamples` samples of a loader's epoch 0 into memory (the last batch sliced to
 * fit), so that every subnet is calibrated and validated on the very same images. The loader's
 * position is restored afterwards. The caller disposes the batches (disposeBatches).
 */
export async function preloadBatches(loader: DataLoader, numSamples: number): Promise<Batch[]> {
  if (!(numSamples > 0)) throw new BatchSourceError(`preloadBatches: numSamples must be positive, got ${numSamples}.`);
  const saved = loader.getState();
  loader.setState({ epoch: 0, batchIndex: 0 });
  const out: Batch[] = [];
  let taken = 0;
  try {
    for await (const batch of loader) {
      const n = batch.labels.shape[0];
      if (taken + n <= numSamples) {
        out.push(batch);
        taken += n;
      } else {
        const keep = numSamples - taken;
        out.push({
          images: tf.slice(batch.images, [0, 0, 0, 0], [keep, -1, -1, -1]),
          labels: tf.slice(batch.labels, [0], [keep]),
        });
        batch.images.dispose();
        batch.labels.dispose();
        taken += keep;
      }
      if (taken >= numSamples) break;
    }
  } finally {
    loader.setState(saved);
  }
  if (taken < numSamples) {
    disposeBatches(out);
    throw new BatchSourceError(
      `preloadBatches: asked for ${numSamples} samples but the loader has only ${taken} in an epoch ` +
        `(its dataset has ${loader.numSamples}; with drop_last some are skipped). Lower the sample count.`,
    );
  }
  return out;
}

export function disposeBatches(batches: readonly Batch[]): void {
  for (const b of batches) {
    b.images.dispose();
    b.labels.dispose();
  }
}

/** Number of samples in preloaded batches. */
export function countSamples(batches: readonly Batch[]): number {
  return batches.reduce((n, b) => n + b.labels.shape[0], 0);
}

/**
 * Iterate a source; `owned` says whether the consumer must dispose the batch (loader batches) or
 * must not (preloaded batches, reused for every subnet).
 */
export async function* iterateBatches(
  source: BatchSource,
  maxSamples = Infinity,
): AsyncGenerator<{ batch: Batch; owned: boolean }> {
  let seen = 0;
  if (Array.isArray(source)) {
    for (const batch of source as readonly Batch[]) {
      if (seen >= maxSamples) return;
      seen += batch.labels.shape[0];
      yield { batch, owned: false };
    }
    return;
  }
  for await (const batch of source as DataLoader) {
    if (seen >= maxSamples) {
      batch.images.dispose();
      batch.labels.dispose();
      return;
    }
    seen += batch.labels.shape[0];
    yield { batch, owned: true };
  }
}

export function releaseBatch(item: { batch: Batch; owned: boolean }): void {
  if (!item.owned) return;
  item.batch.images.dispose();
  item.batch.labels.dispose();
}
