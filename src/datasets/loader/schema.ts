import type { TypedConfig } from '../../registry/registry.js';

/** A `train_dataloader` / `val_dataloader` / `test_dataloader` section. */
export interface DataLoaderConfig {
  batch_size: number;
  shuffle: boolean;
  drop_last: boolean;
  num_workers: number;
  prefetch: number;
  max_samples: number | null;
  dataset: TypedConfig;
}

export const DATALOADER_SCHEMA = {
  type: 'object',
  description: 'Batches of a dataset: size, order, and how decoded images are prefetched.',
  properties: {
    batch_size: { type: 'integer', minimum: 1, default: 32, description: 'Samples per batch.' },
    shuffle: { type: 'boolean', default: false, description: 'Reorder samples each epoch with a seeded rng (seed from randomness.seed).' },
    drop_last: { type: 'boolean', default: false, description: 'Drop the last batch of an epoch when it is smaller than batch_size.' },
    num_workers: {
      type: 'integer',
      minimum: 0,
      default: 2,
      description: 'Worker threads that decode image files (ImageFolder, ImageList); 0 decodes in the main thread. In-memory datasets ignore it.',
    },
    prefetch: { type: 'integer', minimum: 1, default: 2, description: 'Batches of decoded images prepared ahead of the one in use.' },
    max_samples: {
      type: ['integer', 'null'],
      minimum: 1,
      default: null,
      description: 'Use only the first N samples of the dataset (after its split), for quick runs; null: all.',
    },
    dataset: { 'x-kind': 'datasets' },
  },
  required: ['dataset'],
  additionalProperties: false,
};
