import type { TypedConfig } from '../registry/registry.js';
import { LabelOutOfRangeError } from './errors.js';
import { SPLIT_SCHEMA, selectIndices, type SplitConfig } from './split.js';

/** What every dataset offers the loader, after its split. */
export interface DatasetBase {
  readonly length: number;
  readonly classes: readonly string[];
  readonly numClasses: number;
  label(i: number): number;
  /** Transform configs applied to each sample (`pipeline:` in the dataset config). */
  readonly pipeline: readonly TypedConfig[];
}

/** A dataset kept whole in memory as uint8 HWC pixels; batches are copied out of it. */
export interface InMemoryDataset extends DatasetBase {
  readonly kind: 'memory';
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Pixels of sample i (HWC uint8), a view into the dataset's storage: do not write. */
  pixels(i: number): Uint8Array;
}

/** A dataset of image files decoded per sample (on worker threads). */
export interface FileDataset extends DatasetBase {
  readonly kind: 'files';
  path(i: number): string;
  readonly onCorrupt: 'skip' | 'error';
  readonly channels: 1 | 3;
}

export type Dataset = InMemoryDataset | FileDataset;

/** Config keys every dataset accepts. */
export interface CommonDatasetConfig {
  pipeline: TypedConfig[];
  split?: SplitConfig | null;
}

export const COMMON_DATASET_PROPERTIES = {
  pipeline: {
    type: 'array',
    items: { 'x-kind': 'transforms' },
    default: [],
    description: 'Transforms applied to each sample, in order (geometric ones before ToTensor).',
  },
  split: SPLIT_SCHEMA,
} as const;

/** Whole-set storage of an in-memory dataset: N images of h*w*c uint8 pixels and their labels. */
export interface ImageArrays {
  images: Uint8Array;
  labels: Uint8Array | Int32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/** Checks labels against the class count once, so a bad file fails at load and not mid-epoch. */
export function checkLabels(labels: ArrayLike<number>, numClasses: number, path: string): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!(Number.isInteger(label) && label >= 0 && label < numClasses)) {
      throw new LabelOutOfRangeError(path, label, numClasses, `record ${i}`);
    }
  }
}

/** In-memory dataset over arrays, restricted to the samples its split keeps. */
export class InMemoryImages implements InMemoryDataset {
  readonly kind = 'memory' as const;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly pipeline: readonly TypedConfig[];
  private readonly indices: Int32Array;
  private readonly sampleSize: number;

  constructor(
    private readonly arrays: ImageArrays,
    readonly classes: readonly string[],
    cfg: Partial<CommonDatasetConfig>,
  ) {
    this.height = arrays.height;
    this.width = arrays.width;
    this.channels = arrays.channels;
    this.numClasses = classes.length;
    this.sampleSize = arrays.height * arrays.width * arrays.channels;
    this.indices = selectIndices(arrays.count, cfg.split);
    this.pipeline = cfg.pipeline ?? [];
  }

  get length(): number {
    return this.indices.length;
  }

  label(i: number): number {
    return this.arrays.labels[this.indices[i]!]!;
  }

  pixels(i: number): Uint8Array {
    const start = this.indices[i]! * this.sampleSize;
    return this.arrays.images.subarray(start, start + this.sampleSize);
  }
}
