import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DatasetError,
  DatasetNotFoundError,
  EmptyClassFolderError,
  ImageFolder,
  ImageList,
  LabelOutOfRangeError,
  PipelineError,
  UnreadableImageError,
  buildDataLoader,
} from '../../src/datasets/index.js';
import { TRANSFORMS } from '../../src/registry/registries.js';
import { decodeWithOps } from '../../src/datasets/decode/sharp_ops.js';
import { applyOps, type GeomOp } from '../../src/datasets/transforms/geometry.js';
import { collect, gradientImage, imageFolder, solidImage, tempDir, writeText } from './helpers.js';

const COLOURS: Record<string, [number, number, number]> = {
  zebra: [0, 0, 255],
  Ant: [255, 0, 0],
  bee: [0, 255, 0],
};

async function folder(perClass = 2): Promise<string> {
  const root = tempDir('folder');
  await imageFolder(root, COLOURS, perClass);
  return root;
}

afterEach(() => vi.restoreAllMocks());

describe('ImageFolder', () => {
  it('orders classes by sorted folder name (byte order) and labels each file', async () => {
    const ds = new ImageFolder({ data_root: await folder() });
    expect(ds.classes).toEqual(['Ant', 'bee', 'zebra']);
    expect(ds.length).toBe(6);
    expect(Array.from({ length: 6 }, (_, i) => ds.label(i))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(ds.path(4)).toMatch(/zebra\/0\.png$/);
  });

  it('decodes to normalized NHWC batches with values checked per class', async () => {
    const loader = buildDataLoader({
      batch_size: 3,
      num_workers: 0,
      dataset: {
        type: 'ImageFolder',
        data_root: await folder(1),
        pipeline: [{ type: 'CenterCrop', size: 8 }, { type: 'ToTensor' }, { type: 'Normalize', mean: [0.5, 0.5, 0.5], std: [0.5, 0.25, 1] }],
      },
    });
    const { images, labels } = await collect(loader);
    expect(labels).toEqual([[0, 1, 2]]);
    expect(images[0]).toHaveLength(3 * 8 * 8 * 3);
    // Ant is red: R = (1 - 0.5) / 0.5 = 1, G = (0 - 0.5) / 0.25 = -2, B = (0 - 0.5) / 1 = -0.5
    expect(images[0]!.slice(0, 3)).toEqual([1, -2, -0.5]);
    // zebra (third sample) is blue
    expect(images[0]!.slice(2 * 192, 2 * 192 + 3)).toEqual([-1, -2, 0.5]);
  });

  it('decodes grey with color_type: grayscale', async () => {
    const root = tempDir('grey');
    mkdirSync(join(root, 'only'));
    await solidImage(join(root, 'only', 'a.png'), 5, 5, [100, 100, 100]);
    const loader = buildDataLoader({
      batch_size: 1,
      num_workers: 0,
      dataset: { type: 'ImageFolder', data_root: root, color_type: 'grayscale', pipeline: [{ type: 'Resize', size: [4, 4] }] },
    });
    expect(loader.imageShape).toEqual([4, 4, 1]);
    const { images } = await collect(loader);
    expect(images[0]![0]).toBeCloseTo(100 / 255, 6);
  });

  it('worker threads give exactly the batches of in-process decoding (random crops and flips)', async () => {
    const root = await folder(3);
    const cfg = (num_workers: number) => ({
      batch_size: 4,
      shuffle: true,
      num_workers,
      dataset: { type: 'ImageFolder', data_root: root, pipeline: [{ type: 'RandomResizedCrop', size: 6 }, { type: 'RandomHorizontalFlip' }] },
    });
    const inProcess = buildDataLoader(cfg(0), { seed: 3 });
    const pooled = buildDataLoader(cfg(2), { seed: 3 });
    try {
      expect(await collect(pooled)).toEqual(await collect(inProcess));
    } finally {
      await pooled.close();
    }
  });

  it('refuses a plugin transform on decode workers, and runs it with num_workers: 0', async () => {
    class Noop {
      readonly stage = 'geometric';
      readonly random = false;
      plan() {
        return [];
      }
      outputSize(size: unknown) {
        return size;
      }
    }
    TRANSFORMS.register('testns/Noop', Noop, { override: true });
    const dataset = { type: 'ImageFolder', data_root: await folder(1), pipeline: [{ type: 'testns/Noop' }, { type: 'CenterCrop', size: 4 }] };
    await expect(collect(buildDataLoader({ batch_size: 3, num_workers: 1, dataset }))).rejects.toThrow(/testns\/Noop.*num_workers: 0/);
    expect((await collect(buildDataLoader({ batch_size: 3, num_workers: 0, dataset }))).labels).toEqual([[0, 1, 2]]);
  });

  it('needs a pipeline that ends in a fixed size', async () => {
    expect(() => buildDataLoader({ dataset: { type: 'ImageFolder', data_root: tempDir('x') } })).toThrow(DatasetError);
    const root = await folder(1);
    expect(() => buildDataLoader({ dataset: { type: 'ImageFolder', data_root: root } })).toThrow(PipelineError);
    expect(() => buildDataLoader({ dataset: { type: 'ImageFolder', data_root: root, pipeline: [{ type: 'Resize', size: 4 }] } })).toThrow(
      /must end in a fixed size/,
    );
  });

  it('skips a corrupt image with a warning, counts it, and keeps batches full', async () => {
    const root = await folder(2);
    writeFileSync(join(root, 'bee', '0.png'), 'not an image');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const loader = buildDataLoader({
      batch_size: 6,
      num_workers: 0,
      dataset: { type: 'ImageFolder', data_root: root, pipeline: [{ type: 'CenterCrop', size: 4 }] },
    });
    const first = await collect(loader);
    expect(first.labels).toEqual([[0, 0, 1, 1, 2, 2]]);
    expect(loader.corruptCount).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/bee\/0\.png/);
    // the replacement is bee/1.png: slots 2 and 3 hold the same green pixels
    expect(first.images[0]!.slice(2 * 48, 3 * 48)).toEqual(first.images[0]!.slice(3 * 48, 4 * 48));
    await collect(loader);
    expect(loader.corruptCount).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('fails on a corrupt image with on_corrupt: error, naming the file', async () => {
    const root = await folder(1);
    writeFileSync(join(root, 'Ant', '0.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    const loader = buildDataLoader({
      batch_size: 3,
      num_workers: 0,
      dataset: { type: 'ImageFolder', data_root: root, on_corrupt: 'error', pipeline: [{ type: 'CenterCrop', size: 4 }] },
    });
    await expect(collect(loader)).rejects.toThrow(UnreadableImageError);
    await expect(collect(loader)).rejects.toThrow(/Ant\/0\.png/);
  });

  it('names a missing root with the ImageNet layout, and an empty class folder', async () => {
    expect(() => new ImageFolder({ data_root: '/nonexistent/imagenet/train' })).toThrow(DatasetNotFoundError);
    expect(() => new ImageFolder({ data_root: '/nonexistent/imagenet/train' })).toThrow(/image-net\.org.*n01440764/);
    const root = await folder(1);
    mkdirSync(join(root, 'empty'));
    writeText(join(root, 'empty', 'notes.txt'), 'no images here');
    expect(() => new ImageFolder({ data_root: root })).toThrow(EmptyClassFolderError);
    expect(() => new ImageFolder({ data_root: root })).toThrow(/'.*empty' holds no image/);
  });
});

describe('ImageList', () => {
  async function listed(lines: string, extra: Record<string, unknown> = {}) {
    const root = await folder(1);
    const list = join(root, 'val.txt');
    writeText(list, lines);
    return () => new ImageList({ list_file: list, ...extra });
  }

  it('reads "path label" lines relative to the list folder', async () => {
    const ds = (await listed('# val list\nzebra/0.png 2\n\nAnt/0.png 0\n'))();
    expect(ds.length).toBe(2);
    expect([ds.label(0), ds.label(1)]).toEqual([2, 0]);
    expect(ds.classes).toEqual(['0', '1', '2']);
    expect(ds.path(1)).toMatch(/Ant\/0\.png$/);
  });

  it('rejects a label out of range, a missing file and a malformed line', async () => {
    await expect(listed('zebra/0.png 5\n', { num_classes: 3 }).then((f) => f())).rejects.toThrow(LabelOutOfRangeError);
    await expect(listed('zebra/0.png 5\n', { num_classes: 3 }).then((f) => f())).rejects.toThrow(/Label 5 at line 1 of '.*val\.txt'.*\[0, 2\]/);
    await expect(listed('missing.png 1\n').then((f) => f())).rejects.toThrow(/line 1 of .*not found at .*missing\.png/);
    await expect(listed('zebra/0.png\n').then((f) => f())).rejects.toThrow(/"path label" on line 1/);
    expect(() => new ImageList({ list_file: '/nonexistent/val.txt' })).toThrow(DatasetNotFoundError);
  });
});

describe('sharp executor', () => {
  it('crops, flips and pads exactly like the in-memory executor', async () => {
    const path = join(tempDir('grad'), 'g.png');
    const data = await gradientImage(path, 9, 7);
    const img = { data, height: 7, width: 9, channels: 3 };
    const cases: GeomOp[][] = [
      [{ op: 'crop', top: 1, left: 2, height: 4, width: 5 }],
      [{ op: 'flip' }, { op: 'crop', top: 1, left: 2, height: 4, width: 5 }],
      [{ op: 'crop', top: 1, left: 2, height: 4, width: 5 }, { op: 'flip' }, { op: 'crop', top: 1, left: 0, height: 2, width: 3 }],
      [{ op: 'crop', top: -2, left: -1, height: 6, width: 6 }, { op: 'flip' }],
      [{ op: 'flip' }, { op: 'resize', height: 7, width: 9 }, { op: 'crop', top: 0, left: 1, height: 2, width: 2 }],
    ];
    for (const ops of cases) {
      const viaSharp = await decodeWithOps(path, { height: 7, width: 9 }, ops, 3);
      const viaJs = applyOps(img, ops);
      expect([viaSharp.height, viaSharp.width]).toEqual([viaJs.height, viaJs.width]);
      expect(Array.from(viaSharp.data)).toEqual(Array.from(viaJs.data));
    }
  });
});
