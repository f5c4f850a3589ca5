import { describe, expect, it } from 'vitest';
import { DATASETS } from '../../src/registry/registries.js';
import { DatasetError, Synthetic, buildDataLoader, selectIndices } from '../../src/datasets/index.js';
import { getSectionSchema } from '../../src/config/sections.js';
import { tf } from '../../src/tf.js';
import { collect } from './helpers.js';

const synthetic = (extra: Record<string, unknown> = {}) => ({
  type: 'Synthetic',
  num_samples: 10,
  image_size: [2, 3] as [number, number],
  channels: 1,
  num_classes: 4,
  ...extra,
});

describe('data loader over an in-memory dataset', () => {
  it('batches with the right shapes, labels and values, last batch smaller', async () => {
    const loader = buildDataLoader({ batch_size: 4, dataset: synthetic() });
    const ds = new Synthetic(synthetic());
    expect(loader.length).toBe(3);
    expect(loader.numSamples).toBe(10);
    expect(loader.numClasses).toBe(4);
    const { images, labels } = await collect(loader);
    expect(images.map((b) => b.length)).toEqual([4 * 6, 4 * 6, 2 * 6]);
    expect(labels.flat()).toEqual(Array.from({ length: 10 }, (_, i) => ds.label(i)));
    // default pipeline: ToTensor only, values p / 255
    expect(images[0]!.slice(0, 6)).toEqual(Array.from(ds.pixels(0), (p) => Math.fround(p / 255)));
  });

  it('drop_last drops the short batch; max_samples keeps the first N', async () => {
    expect(buildDataLoader({ batch_size: 4, drop_last: true, dataset: synthetic() }).length).toBe(2);
    const loader = buildDataLoader({ batch_size: 4, max_samples: 5, dataset: synthetic() });
    expect(loader.numSamples).toBe(5);
    expect((await collect(loader)).labels.flat()).toHaveLength(5);
    expect(() => buildDataLoader({ batch_size: 20, drop_last: true, dataset: synthetic() })).toThrow(DatasetError);
  });

  it('shuffles by seed and epoch: a permutation, the same for the same seed, new each epoch', () => {
    const a = buildDataLoader({ batch_size: 4, shuffle: true, dataset: synthetic({ num_samples: 50 }) }, { seed: 7 });
    const b = buildDataLoader({ batch_size: 4, shuffle: true, dataset: synthetic({ num_samples: 50 }) }, { seed: 7 });
    const c = buildDataLoader({ batch_size: 4, shuffle: true, dataset: synthetic({ num_samples: 50 }) }, { seed: 8 });
    const e0 = Array.from(a.epochOrder(0));
    expect([...e0].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(b.epochOrder(0))).toEqual(e0);
    expect(Array.from(a.epochOrder(1))).not.toEqual(e0);
    expect(Array.from(c.epochOrder(0))).not.toEqual(e0);
    expect(Array.from(buildDataLoader({ batch_size: 4, dataset: synthetic() }).epochOrder(3))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('advances the position per batch and rolls over to the next epoch', async () => {
    const loader = buildDataLoader({ batch_size: 4, dataset: synthetic() });
    expect(loader.getState()).toEqual({ epoch: 0, batchIndex: 0 });
    await collect(loader, 2);
    expect(loader.getState()).toEqual({ epoch: 0, batchIndex: 2 });
    await collect(loader);
    expect(loader.getState()).toEqual({ epoch: 1, batchIndex: 0 });
  });

  it('resumes exactly: a restored position yields the batches of a straight run', async () => {
    const cfg = {
      batch_size: 3,
      shuffle: true,
      dataset: synthetic({ num_samples: 11, image_size: [6, 6], pipeline: [{ type: 'RandomCrop', size: 4, padding: 1 }, { type: 'RandomHorizontalFlip' }] }),
    };
    const straight = buildDataLoader(cfg, { seed: 5 });
    const first = await collect(straight);
    const second = await collect(straight);
    const resumed = buildDataLoader(cfg, { seed: 5 });
    resumed.setState({ epoch: 1, batchIndex: 2 });
    const rest = await collect(resumed);
    expect(rest.images).toEqual(second.images.slice(2));
    expect(rest.labels).toEqual(second.labels.slice(2));
    // augmentation differs between epochs for the same samples
    expect(first.images).not.toEqual(second.images);
  });

  it('does not leak tensors and rejects an invalid state', async () => {
    const loader = buildDataLoader({ batch_size: 4, dataset: synthetic() });
    const before = tf.memory().numTensors;
    await collect(loader);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => loader.setState({ epoch: 0, batchIndex: 9 })).toThrow(/batchIndex in \[0, 3\]/);
  });
});

describe('split', () => {
  it('train and val parts are disjoint, cover the set, and depend on the seed', () => {
    const train = Array.from(selectIndices(100, { val_fraction: 0.2, seed: 1, part: 'train' }));
    const val = Array.from(selectIndices(100, { val_fraction: 0.2, seed: 1, part: 'val' }));
    expect(val).toHaveLength(20);
    expect(new Set([...train, ...val]).size).toBe(100);
    expect(Array.from(selectIndices(100, { val_fraction: 0.2, seed: 2, part: 'val' }))).not.toEqual(val);
    expect(() => selectIndices(3, { val_fraction: 0.01, seed: 0, part: 'val' })).toThrow(/empty part/);
  });

  it('a split dataset yields only its part', () => {
    const full = new Synthetic(synthetic({ num_samples: 20 }));
    const val = new Synthetic(synthetic({ num_samples: 20, split: { val_fraction: 0.25, seed: 0, part: 'val' } }));
    const picked = Array.from(selectIndices(20, { val_fraction: 0.25, seed: 0, part: 'val' }));
    expect(val.length).toBe(5);
    picked.forEach((index, i) => {
      expect(val.label(i)).toBe(full.label(index));
      expect(Array.from(val.pixels(i))).toEqual(Array.from(full.pixels(index)));
    });
  });
});

describe('registration', () => {
  it('registers the datasets and the dataloader section schemas', () => {
    for (const name of ['MNIST', 'FashionMNIST', 'CIFAR10', 'ImageFolder', 'ImageList', 'Synthetic']) expect(DATASETS.has(name)).toBe(true);
    for (const key of ['train_dataloader', 'val_dataloader', 'test_dataloader']) {
      expect((getSectionSchema(key)!.properties as Record<string, unknown>).batch_size).toBeDefined();
    }
  });
});
