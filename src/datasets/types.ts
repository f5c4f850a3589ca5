import type { Tensor1D, Tensor4D } from '../tf.js';

/** One batch: NHWC float32 images and int32 labels. The consumer disposes both. */
export interface Batch {
  images: Tensor4D;
  labels: Tensor1D;
}

/** Where a loader stands inside its epochs, saved in checkpoints for exact resume. */
export interface LoaderState {
  epoch: number;
  /** Batches already yielded in this epoch. */
  batchIndex: number;
}

/** Iterates batches of a dataset; the order depends only on the seed and the epoch. */
export interface DataLoader {
  /** Batches per epoch. */
  readonly length: number;
  readonly batchSize: number;
  /** Number of samples the loader draws from (after split/subset/max_samples). */
  readonly numSamples: number;
  readonly numClasses: number;
  /** Batches of the current epoch from the current position; advances the position. */
  [Symbol.asyncIterator](): AsyncIterator<Batch>;
  getState(): LoaderState;
  setState(state: LoaderState): void;
  /** Release worker threads and cached tensors. */
  close(): Promise<void>;
}
