import { tf, type Tensor1D, type Tensor4D } from '../tf.js';
import { loaderFor } from '../evaluation/setup.js';
import { disposeBatches, preloadBatches } from '../evaluation/batches.js';
import type { ProxyBatch } from './types.js';

/**
 * The first `n` images of the config's `train_dataloader` in its epoch-0 order (seeded by
 * `seed`, else randomness.seed), as one batch: the same images for every subnet. The caller disposes.
 */
export async function loadProxyBatch(config: Record<string, unknown>, n: number, seed?: number): Promise<ProxyBatch> {
  const cfg = seed === undefined ? config : { ...config, randomness: { ...(config.randomness as object | undefined), seed } };
  const loader = loaderFor(cfg, 'train_dataloader');
  try {
    const batches = await preloadBatches(loader, n);
    try {
      return {
        images: tf.concat(batches.map((b) => b.images)) as Tensor4D,
        labels: tf.concat(batches.map((b) => b.labels)) as Tensor1D,
      };
    } finally {
      disposeBatches(batches);
    }
  } finally {
    await loader.close();
  }
}
