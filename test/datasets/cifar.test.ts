import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIFAR10, DatasetFormatError, DatasetNotFoundError, LabelOutOfRangeError, buildDataLoader } from '../../src/datasets/index.js';
import { collect, tempDir } from './helpers.js';

const PLANE = 32 * 32;

/** A CIFAR record: label byte, then R, G and B planes; pixel p of plane k is (p + 10 * k + seed) mod 256. */
function record(label: number, seed: number): Uint8Array {
  const rec = new Uint8Array(1 + 3 * PLANE);
  rec[0] = label;
  for (let k = 0; k < 3; k++) for (let p = 0; p < PLANE; p++) rec[1 + k * PLANE + p] = (p + 10 * k + seed) % 256;
  return rec;
}

function writeBatch(path: string, labels: number[]): void {
  writeFileSync(path, Buffer.concat(labels.map((l, i) => record(l, i))));
}

function fakeCifar(labels: number[][] = [[3, 1], [0], [9], [2], [4, 5, 6]], test = [7, 8]): string {
  const root = tempDir('cifar');
  labels.forEach((l, i) => writeBatch(join(root, `data_batch_${i + 1}.bin`), l));
  writeBatch(join(root, 'test_batch.bin'), test);
  return root;
}

describe('CIFAR10', () => {
  it('reads the five train batches in order and turns CHW planes into HWC pixels', () => {
    const ds = new CIFAR10({ data_root: fakeCifar() });
    expect(ds.length).toBe(8);
    expect(Array.from({ length: 8 }, (_, i) => ds.label(i))).toEqual([3, 1, 0, 9, 2, 4, 5, 6]);
    const px = ds.pixels(1); // second record of data_batch_1: seed 1
    // pixel p = 5 (row 0, col 5): R = 6, G = 16, B = 26
    expect(Array.from(px.subarray(15, 18))).toEqual([6, 16, 26]);
    expect(ds.classes[3]).toBe('cat');
  });

  it('reads test_batch.bin for subset test, also from a cifar-10-batches-bin sub-folder', () => {
    const outer = tempDir('cifar-outer');
    const inner = join(outer, 'cifar-10-batches-bin');
    mkdirSync(inner);
    [1, 2, 3, 4, 5].forEach((i) => writeBatch(join(inner, `data_batch_${i}.bin`), [0]));
    writeBatch(join(inner, 'test_batch.bin'), [7, 8, 9]);
    const ds = new CIFAR10({ data_root: outer, subset: 'test' });
    expect(Array.from({ length: 3 }, (_, i) => ds.label(i))).toEqual([7, 8, 9]);
  });

  it('batches with RandomCrop padding 4 and flips keep shape [b, 32, 32, 3]', async () => {
    const loader = buildDataLoader({
      batch_size: 3,
      drop_last: true,
      dataset: { type: 'CIFAR10', data_root: fakeCifar(), pipeline: [{ type: 'RandomCrop', size: 32, padding: 4 }, { type: 'RandomHorizontalFlip' }] },
    });
    expect(loader.length).toBe(2);
    const { images, labels } = await collect(loader);
    expect(images[0]).toHaveLength(3 * 32 * 32 * 3);
    expect(labels).toEqual([[3, 1, 0], [9, 2, 4]]);
  });

  it('names the missing folder and where to get the data', () => {
    expect(() => new CIFAR10({ data_root: '/nonexistent/cifar' })).toThrow(DatasetNotFoundError);
    expect(() => new CIFAR10({ data_root: '/nonexistent/cifar' })).toThrow(/\/nonexistent\/cifar.*cifar-10-binary\.tar\.gz.*data_batch_1\.bin/);
  });

  it('names a missing batch file', () => {
    const root = fakeCifar([[1], [2], [3], [4]]);
    expect(() => new CIFAR10({ data_root: root })).toThrow(/data_batch_5\.bin/);
  });

  it('rejects a file whose size is not a whole number of records', () => {
    const root = fakeCifar();
    writeFileSync(join(root, 'test_batch.bin'), new Uint8Array(100));
    expect(() => new CIFAR10({ data_root: root, subset: 'test' })).toThrow(DatasetFormatError);
  });

  it('rejects a label outside 0..9 naming the file and record', () => {
    const root = fakeCifar([[1], [2], [12, 3], [4], [5]]);
    const err = (() => {
      try {
        new CIFAR10({ data_root: root });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(LabelOutOfRangeError);
    expect(err!.message).toMatch(/Label 12 at record 0 of '.*data_batch_3\.bin'.*\[0, 9\]/);
  });
});
