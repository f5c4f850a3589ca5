import { DATASETS } from '../../registry/registries.js';
import '../register.js';
import { Rng } from '../../services/rng.js';
import { tf } from '../../tf.js';
import type { Dataset, FileDataset, InMemoryDataset } from '../dataset.js';
import { withDefaults } from '../defaults.js';
import { decodeSamples, type DecodeContext, type DecodeRequest, type DecodeResult } from '../decode/decode_samples.js';
import { DecodePool } from '../decode/pool.js';
import { DatasetError, PipelineError, UnreadableImageError } from '../errors.js';
import { applyOps, type Size } from '../transforms/geometry.js';
import { BUILTIN_TRANSFORMS } from '../transforms/index.js';
import { CompiledPipeline } from '../transforms/pipeline.js';
import type { Batch, DataLoader, LoaderState } from '../types.js';
import { DATALOADER_SCHEMA, type DataLoaderConfig } from './schema.js';
import { writeSample } from './write_sample.js';

/** Pixels and labels of a batch before they become tensors (prefetched batches hold no tensors). */
interface HostBatch {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

export interface DataLoaderOptions {
  /** Seed of the shuffle order and of random transforms (the runner passes randomness.seed). */
  seed?: number;
  /** An already built dataset, instead of building cfg.dataset. */
  dataset?: Dataset;
}

/**
 * Batches of a dataset in a seeded order. In-memory datasets are copied into one Float32Array per
 * batch; image files are decoded by a worker pool with the next batches prefetched. Sample
 * randomness depends only on (seed, epoch, sample index), so a restored position replays exactly.
 */
export class ImageDataLoader implements DataLoader {
  readonly batchSize: number;
  readonly numSamples: number;
  readonly numClasses: number;
  readonly classes: readonly string[];
  readonly dataset: Dataset;
  /** Height, width and channels of every image in a batch. */
  readonly imageShape: [number, number, number];
  private readonly cfg: DataLoaderConfig;
  private readonly seed: number;
  private readonly pipeline: CompiledPipeline;
  private readonly decodeCtx: DecodeContext | null;
  private pool: DecodePool | null = null;
  private epoch = 0;
  private batchIndex = 0;
  /** Dataset indices of image files that failed to decode, with the index that replaces each. */
  private readonly corrupt = new Map<number, number>();

  constructor(cfg: Partial<DataLoaderConfig>, options: DataLoaderOptions = {}) {
    this.cfg = withDefaults<DataLoaderConfig>(DATALOADER_SCHEMA, cfg);
    this.seed = options.seed ?? 0;
    if (!options.dataset && !this.cfg.dataset) throw new DatasetError("A data loader needs a 'dataset' ({type: MNIST, ...}).");
    this.dataset = options.dataset ?? DATASETS.build<Dataset>(this.cfg.dataset);
    this.batchSize = this.cfg.batch_size;
    this.numSamples = Math.min(this.dataset.length, this.cfg.max_samples ?? Infinity);
    this.numClasses = this.dataset.numClasses;
    this.classes = this.dataset.classes;
    this.pipeline = new CompiledPipeline(this.dataset.pipeline, this.dataset.channels);
    const outSize = this.outputSize();
    this.imageShape = [outSize.height, outSize.width, this.dataset.channels];
    this.decodeCtx =
      this.dataset.kind === 'files'
        ? { pipeline: this.pipeline, channels: this.dataset.channels, seed: this.seed, outSize }
        : null;
    if (this.length === 0) {
      throw new DatasetError(
        `The data loader has no batch: ${this.numSamples} sample(s) with batch_size ${this.batchSize} and drop_last: true.`,
      );
    }
  }

  get length(): number {
    return this.cfg.drop_last ? Math.floor(this.numSamples / this.batchSize) : Math.ceil(this.numSamples / this.batchSize);
  }

  /** Image files skipped so far because they could not be decoded. */
  get corruptCount(): number {
    return this.corrupt.size;
  }

  getState(): LoaderState {
    return { epoch: this.epoch, batchIndex: this.batchIndex };
  }

  setState(state: LoaderState): void {
    if (!Number.isInteger(state.epoch) || state.epoch < 0 || !Number.isInteger(state.batchIndex) || state.batchIndex < 0 || state.batchIndex > this.length) {
      throw new DatasetError(`Invalid loader state ${JSON.stringify(state)}: expected epoch >= 0 and batchIndex in [0, ${this.length}].`);
    }
    this.epoch = state.batchIndex === this.length ? state.epoch + 1 : state.epoch;
    this.batchIndex = state.batchIndex === this.length ? 0 : state.batchIndex;
  }

  /** Dataset indices in the order of `epoch`. */
  epochOrder(epoch: number): Int32Array {
    const order = Int32Array.from({ length: this.numSamples }, (_, i) => i);
    if (this.cfg.shuffle) {
      const rng = new Rng(`order:${this.seed}:${epoch}`);
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
    }
    return order;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    const epoch = this.epoch;
    const order = this.epochOrder(epoch);
    const depth = this.dataset.kind === 'files' ? this.cfg.prefetch + 1 : 1;
    const inflight: Promise<HostBatch>[] = [];
    let next = this.batchIndex;
    const launch = () => {
      while (inflight.length < depth && next < this.length) inflight.push(this.hostBatch(order, epoch, next++));
    };
    try {
      launch();
      while (inflight.length > 0) {
        const host = await inflight.shift()!;
        launch();
        this.batchIndex++;
        if (this.batchIndex === this.length) {
          this.epoch = epoch + 1;
          this.batchIndex = 0;
        }
        const [h, w, c] = this.imageShape;
        yield {
          images: tf.tensor4d(host.images, [host.count, h, w, c]),
          labels: tf.tensor1d(host.labels, 'int32'),
        };
      }
    } finally {
      // Batches prefetched past an early break are dropped; their errors no longer matter.
      for (const p of inflight) p.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }

  private outputSize(): Size {
    const ds = this.dataset;
    const size = this.pipeline.outputSize(ds.kind === 'memory' ? { height: ds.height, width: ds.width } : null);
    if (!size) {
      throw new PipelineError(
        `Images of ${ds.constructor.name} can differ in size, so its pipeline must end in a fixed size: ` +
          'add RandomResizedCrop, CenterCrop, RandomCrop or Resize with [height, width].',
      );
    }
    return size;
  }

  private batchIndices(order: Int32Array, b: number): Int32Array {
    return order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, order.length));
  }

  private hostBatch(order: Int32Array, epoch: number, b: number): Promise<HostBatch> {
    const indices = this.batchIndices(order, b);
    return this.dataset.kind === 'memory'
      ? Promise.resolve(this.memoryBatch(this.dataset, indices, epoch))
      : this.fileBatch(this.dataset, indices, epoch);
  }

  private memoryBatch(ds: InMemoryDataset, indices: Int32Array, epoch: number): HostBatch {
    const [h, w, c] = this.imageShape;
    const sampleSize = h * w * c;
    const images = new Float32Array(indices.length * sampleSize);
    const labels = new Int32Array(indices.length);
    const size = { height: ds.height, width: ds.width };
    indices.forEach((index, slot) => {
      let pixels = { data: ds.pixels(index), height: ds.height, width: ds.width, channels: ds.channels };
      if (this.pipeline.geometric.length > 0) pixels = applyOps(pixels, this.pipeline.plan(size, this.seed, epoch, index));
      writeSample(pixels, this.pipeline.mul, this.pipeline.add, images, slot * sampleSize);
      labels[slot] = ds.label(index);
    });
    return { images, labels, count: indices.length };
  }

  private decode(req: DecodeRequest): Promise<DecodeResult> {
    if (this.cfg.num_workers === 0) return decodeSamples(req, this.decodeCtx!);
    const custom = this.dataset.pipeline.map((t) => t.type).filter((t) => !BUILTIN_TRANSFORMS.includes(t.replace(/^core\//, '')));
    if (custom.length > 0) {
      throw new PipelineError(
        `Transform(s) ${custom.join(', ')} are not built in, and decode workers only know the built-in ones: set num_workers: 0.`,
      );
    }
    this.pool ??= new DecodePool(this.cfg.num_workers, {
      pipeline: [...this.dataset.pipeline],
      channels: this.decodeCtx!.channels,
      seed: this.seed,
      outSize: this.decodeCtx!.outSize,
    });
    return this.pool.decode(req);
  }

  private async fileBatch(ds: FileDataset, batch: Int32Array, epoch: number): Promise<HostBatch> {
    const [h, w, c] = this.imageShape;
    const sampleSize = h * w * c;
    const indices = Array.from(batch, (i) => this.corrupt.get(i) ?? i);
    const images = new Float32Array(indices.length * sampleSize);
    const parts = Math.max(1, Math.min(this.cfg.num_workers, indices.length));
    const per = Math.ceil(indices.length / parts);
    await Promise.all(
      Array.from({ length: parts }, async (_, p) => {
        const start = p * per;
        const part = indices.slice(start, start + per);
        if (part.length === 0) return;
        const result = await this.decode({ paths: part.map((i) => ds.path(i)), indices: part, epoch });
        images.set(result.data, start * sampleSize);
        for (const { slot, reason } of result.failed) {
          const [index, data] = await this.replaceCorrupt(ds, part[slot]!, reason, epoch);
          indices[start + slot] = index;
          images.set(data, (start + slot) * sampleSize);
        }
      }),
    );
    return { images, labels: Int32Array.from(indices, (i) => ds.label(i)), count: indices.length };
  }

  /** The next decodable sample after a corrupt one (on_corrupt: skip), remembered for later epochs. */
  private async replaceCorrupt(ds: FileDataset, index: number, reason: string, epoch: number): Promise<[number, Float32Array]> {
    let bad = index;
    let why = reason;
    for (let tries = 0; tries < ds.length; tries++) {
      if (ds.onCorrupt === 'error') throw new UnreadableImageError(ds.path(bad), why);
      if (!this.corrupt.has(bad)) {
        console.warn(`Skipping unreadable image '${ds.path(bad)}' (${why}); ${this.corrupt.size + 1} skipped so far.`);
      }
      const candidate = (bad + 1) % ds.length;
      this.corrupt.set(bad, candidate);
      const result = await this.decode({ paths: [ds.path(candidate)], indices: [candidate], epoch });
      if (result.failed.length === 0) {
        this.corrupt.set(index, candidate);
        return [candidate, result.data];
      }
      bad = candidate;
      why = result.failed[0]!.reason;
    }
    throw new UnreadableImageError(ds.path(index), `no image of the dataset could be decoded (last: ${why})`);
  }
}

/** Build a loader from a `*_dataloader` section. */
export function buildDataLoader(cfg: Partial<DataLoaderConfig>, options: DataLoaderOptions = {}): ImageDataLoader {
  return new ImageDataLoader(cfg, options);
}
