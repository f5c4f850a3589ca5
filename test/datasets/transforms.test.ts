import { describe, expect, it } from 'vitest';
import {
  CenterCrop,
  CompiledPipeline,
  Normalize,
  PipelineError,
  RandomCrop,
  RandomHorizontalFlip,
  RandomResizedCrop,
  Resize,
  ToTensor,
  sampleRng,
} from '../../src/datasets/index.js';
import { applyOps, type Pixels } from '../../src/datasets/transforms/geometry.js';
import { Rng } from '../../src/services/rng.js';

/** A 1-channel image whose pixel (y, x) is 10 * y + x. */
function grid(height: number, width: number): Pixels {
  const data = Uint8Array.from({ length: height * width }, (_, i) => 10 * Math.floor(i / width) + (i % width));
  return { data, height, width, channels: 1 };
}

describe('geometric ops (in-memory executor)', () => {
  it('crops, pads outside the image with 0, and flips', () => {
    const img = grid(3, 4);
    expect(Array.from(applyOps(img, [{ op: 'crop', top: 1, left: 1, height: 2, width: 2 }]).data)).toEqual([11, 12, 21, 22]);
    expect(Array.from(applyOps(img, [{ op: 'crop', top: -1, left: -1, height: 2, width: 2 }]).data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(applyOps(img, [{ op: 'crop', top: 2, left: 3, height: 2, width: 2 }]).data)).toEqual([23, 0, 0, 0]);
    expect(Array.from(applyOps(img, [{ op: 'flip' }]).data)).toEqual([3, 2, 1, 0, 13, 12, 11, 10, 23, 22, 21, 20]);
  });

  it('resizes bilinearly with half-pixel centres', () => {
    // [0, 10] upsampled to 4: sample points -0.25, 0.25, 0.75, 1.25 -> clamped 0, 0.25, 0.75, 1
    const img: Pixels = { data: Uint8Array.from([0, 10]), height: 1, width: 2, channels: 1 };
    expect(Array.from(applyOps(img, [{ op: 'resize', height: 1, width: 4 }]).data)).toEqual([0, 3, 8, 10]);
    // 4x4 -> 2x2 averages each 2x2 block's centre: value at (0.5, 0.5) of the grid = 5.5 -> 6
    expect(Array.from(applyOps(grid(4, 4), [{ op: 'resize', height: 2, width: 2 }]).data)).toEqual([6, 8, 26, 28]);
  });
});

describe('transforms plan their ops', () => {
  it('Resize keeps the aspect with an integer size and floors the long side', () => {
    const t = new Resize({ size: 256 });
    expect(t.plan({ height: 375, width: 500 })).toEqual([{ op: 'resize', height: 256, width: 341 }]);
    expect(t.outputSize(null)).toBeNull();
    expect(new Resize({ size: [10, 20] }).outputSize(null)).toEqual({ height: 10, width: 20 });
  });

  it('CenterCrop takes the rounded centre', () => {
    expect(new CenterCrop({ size: 224 }).plan({ height: 256, width: 341 })).toEqual([
      { op: 'crop', top: 16, left: 59, height: 224, width: 224 },
    ]);
  });

  it('RandomCrop offsets lie within the padding and cover both extremes', () => {
    const t = new RandomCrop({ size: 4, padding: 2 });
    const tops = new Set<number>();
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) {
      const [op] = t.plan({ height: 4, width: 4 }, rng);
      if (op!.op !== 'crop') throw new Error('expected a crop');
      expect(op!.top).toBeGreaterThanOrEqual(-2);
      expect(op!.top).toBeLessThanOrEqual(2);
      tops.add(op!.top);
    }
    expect([...tops].sort()).toEqual([-1, -2, 0, 1, 2]);
  });

  it('RandomResizedCrop crops within scale and ratio bounds, then resizes to size', () => {
    const t = new RandomResizedCrop({ size: 224, scale: [0.25, 0.5] });
    const rng = new Rng(1);
    for (let i = 0; i < 100; i++) {
      const [crop, resize] = t.plan({ height: 375, width: 500 }, rng);
      if (crop!.op !== 'crop') throw new Error('expected a crop');
      const area = (crop!.height * crop!.width) / (375 * 500);
      expect(area).toBeGreaterThan(0.24);
      expect(area).toBeLessThan(0.51);
      expect(crop!.width / crop!.height).toBeGreaterThan(0.74);
      expect(crop!.width / crop!.height).toBeLessThan(1.35);
      expect(crop!.top + crop!.height).toBeLessThanOrEqual(375);
      expect(crop!.left + crop!.width).toBeLessThanOrEqual(500);
      expect(resize).toEqual({ op: 'resize', height: 224, width: 224 });
    }
  });

  it('RandomResizedCrop falls back to a centre crop when no draw fits', () => {
    // A 1x100 strip: a ratio within [3/4, 4/3] never fits, so the fallback clamps to ratio 4/3.
    const [crop] = new RandomResizedCrop({ size: 8 }).plan({ height: 1, width: 100 }, new Rng(0));
    expect(crop).toEqual({ op: 'crop', top: 0, left: 49, height: 1, width: 1 });
  });

  it('RandomHorizontalFlip flips about prob of the time', () => {
    const t = new RandomHorizontalFlip({ prob: 0.25 });
    const rng = new Rng(0);
    let flips = 0;
    for (let i = 0; i < 2000; i++) flips += t.plan({ height: 1, width: 1 }, rng).length;
    expect(flips / 2000).toBeGreaterThan(0.2);
    expect(flips / 2000).toBeLessThan(0.3);
  });
});

describe('CompiledPipeline', () => {
  it('fuses ToTensor and Normalize into one affine map per channel', () => {
    const p = new CompiledPipeline(
      [{ type: 'ToTensor' }, { type: 'Normalize', mean: [0.5, 0.25, 0], std: [0.5, 0.25, 2] }],
      3,
    );
    // pixel 255 -> 1.0 -> (1 - 0.5) / 0.5 = 1, (1 - 0.25) / 0.25 = 3, 1 / 2 = 0.5
    for (let c = 0; c < 3; c++) expect(255 * p.mul[c]! + p.add[c]!).toBeCloseTo([1, 3, 0.5][c]!, 10);
    expect(0 * p.mul[0]! + p.add[0]!).toBeCloseTo(-1, 10);
  });

  it('ToTensor scale: false keeps 0..255 units (mmcv-style means)', () => {
    const p = new CompiledPipeline([{ type: 'ToTensor', scale: false }, { type: 'Normalize', mean: [127.5], std: [127.5] }], 1);
    expect(255 * p.mul[0]! + p.add[0]!).toBeCloseTo(1, 10);
  });

  it('adds ToTensor when missing', () => {
    const p = new CompiledPipeline([], 1);
    expect(p.mul[0]).toBeCloseTo(1 / 255, 12);
    expect(p.add[0]).toBe(0);
  });

  it('rejects Normalize before ToTensor and geometry after it', () => {
    expect(() => new CompiledPipeline([{ type: 'Normalize', mean: [0], std: [1] }], 1)).toThrow(/before ToTensor/);
    expect(() => new CompiledPipeline([{ type: 'ToTensor' }, { type: 'RandomHorizontalFlip' }], 1)).toThrow(PipelineError);
    expect(() => new CompiledPipeline([{ type: 'ToTensor' }, { type: 'Normalize', mean: [0, 0], std: [1, 1] }], 3)).toThrow(
      /mean has 2 values for images of 3 channel/,
    );
  });

  it('plans the same ops for the same (seed, epoch, index) and others for another epoch', () => {
    const p = new CompiledPipeline([{ type: 'RandomResizedCrop', size: 8 }, { type: 'RandomHorizontalFlip' }], 3);
    const size = { height: 50, width: 60 };
    expect(p.plan(size, 1, 2, 3)).toEqual(p.plan(size, 1, 2, 3));
    const other = [0, 1, 2, 3, 4].map((e) => JSON.stringify(p.plan(size, 1, e, 3)));
    expect(new Set(other).size).toBeGreaterThan(1);
    expect(sampleRng(1, 2, 3).random()).toBe(sampleRng(1, 2, 3).random());
  });

  it('the transform classes are plain objects of the stage they declare', () => {
    expect(new ToTensor().stage).toBe('tensor');
    expect(new Normalize({ mean: [0], std: [1] }).stage).toBe('affine');
    expect(() => new Normalize({ mean: [0], std: [0] })).toThrow(/std must be positive/);
  });
});
