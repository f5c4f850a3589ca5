import { describe, expect, it } from 'vitest';
import { useBackend } from '../../src/backend/index.js';
import { tf } from '../../src/tf.js';

/** Runs `f` on wasm and on cpu with the same seeded inputs; returns both results' values. */
async function onBothBackends(f: () => tf.Tensor): Promise<{ wasm: Float32Array; cpu: Float32Array; shapes: number[][] }> {
  const out: Record<string, Float32Array> = {};
  const shapes: number[][] = [];
  for (const name of ['wasm', 'cpu'] as const) {
    await useBackend(name);
    const t = tf.tidy(f);
    shapes.push(t.shape);
    out[name] = Float32Array.from(await t.data());
    t.dispose();
  }
  return { wasm: out.wasm, cpu: out.cpu, shapes };
}

function maxRelativeError(a: Float32Array, b: Float32Array): number {
  let err = 0;
  let scale = 1e-12;
  a.forEach((v, i) => {
    err = Math.max(err, Math.abs(v - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  });
  return err / scale;
}

const x4 = () => tf.randomNormal([3, 5, 7, 6], 1, 2, 'float32', 11);

describe('Sum and Mean on wasm (leading axes as one matrix product)', () => {
  const cases: { axis: number[] | number; keepDims: boolean }[] = [
    { axis: [0, 1, 2], keepDims: false },
    { axis: [0, 1, 2], keepDims: true },
    { axis: [2, 0, 1], keepDims: false },
    { axis: 0, keepDims: false },
    { axis: [0, 1], keepDims: true },
    { axis: [1, 2], keepDims: false },
    { axis: [3], keepDims: true },
    { axis: [0, 1, 2, 3], keepDims: false },
    { axis: -4, keepDims: false },
  ];
  for (const op of ['sum', 'mean'] as const) {
    for (const c of cases) {
      it(`${op} over ${JSON.stringify(c.axis)} keepDims ${c.keepDims} matches cpu`, async () => {
        const r = await onBothBackends(() => tf[op](x4(), c.axis, c.keepDims));
        expect(r.shapes[0]).toEqual(r.shapes[1]);
        expect(maxRelativeError(r.wasm, r.cpu)).toBeLessThan(1e-5);
      });
    }
  }

  it('sums by hand: [[1,2],[3,4],[5,6]] over axis 0 is [9,12], mean [3,4]; int32 goes to the stock kernel', async () => {
    await useBackend('wasm');
    const m = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    expect(Array.from(await tf.sum(m, 0).data())).toEqual([9, 12]);
    expect(Array.from(await tf.mean(m, 0).data())).toEqual([3, 4]);
    const ints = tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), 0);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(await ints.data())).toEqual([4, 6]);
  });
});

describe('FusedBatchNorm on wasm (per-channel affine as a 1x1 depthwise convolution)', () => {
  const stats = (seed: number, c = 6) => ({
    mean: tf.randomNormal([c], 0, 1, 'float32', seed),
    variance: tf.randomUniform([c], 0.5, 2, 'float32', seed + 1),
    offset: tf.randomNormal([c], 0, 1, 'float32', seed + 2),
    scale: tf.randomNormal([c], 1, 0.3, 'float32', seed + 3),
  });

  it('matches the formula by hand for one channel value', async () => {
    await useBackend('wasm');
    const y = tf.batchNorm(tf.tensor4d([3], [1, 1, 1, 1]), tf.tensor1d([1]), tf.tensor1d([4]),
      tf.tensor1d([0.5]), tf.tensor1d([2]), 0);
    expect((await y.data())[0]).toBeCloseTo(0.5 + (2 * (3 - 1)) / 2, 6);
  });

  for (const withAffine of [true, false]) {
    it(`matches cpu on [3,5,7,6] ${withAffine ? 'with' : 'without'} scale and offset`, async () => {
      const r = await onBothBackends(() => {
        const s = stats(20);
        return tf.batchNorm(x4(), s.mean, s.variance, withAffine ? s.offset : undefined,
          withAffine ? s.scale : undefined, 1e-3);
      });
      expect(maxRelativeError(r.wasm, r.cpu)).toBeLessThan(1e-5);
    });
  }

  it('matches cpu on rank 2 and with [1,1,1,C] statistics, and on full-shape statistics (stock kernel)', async () => {
    const rank2 = await onBothBackends(() => {
      const s = stats(30, 4);
      return tf.batchNorm(tf.randomNormal([9, 4], 0, 1, 'float32', 1), s.mean, s.variance, s.offset, s.scale, 1e-5);
    });
    expect(maxRelativeError(rank2.wasm, rank2.cpu)).toBeLessThan(1e-5);
    const shaped = await onBothBackends(() => {
      const s = stats(40);
      const r4 = (t: tf.Tensor) => tf.reshape(t, [1, 1, 1, 6]);
      return tf.batchNorm(x4(), r4(s.mean), r4(s.variance), r4(s.offset), r4(s.scale), 1e-5);
    });
    expect(maxRelativeError(shaped.wasm, shaped.cpu)).toBeLessThan(1e-5);
    const full = await onBothBackends(() => {
      const m = tf.randomNormal([3, 5, 7, 6], 0, 1, 'float32', 50);
      return tf.batchNorm(x4(), m, tf.add(tf.square(m), 1));
    });
    expect(maxRelativeError(full.wasm, full.cpu)).toBeLessThan(1e-5);
  });
});

describe('Sum, Mean and FusedBatchNorm on wasm release their intermediates', () => {
  it('leave the tensor and wasm buffer counts unchanged', async () => {
    await useBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const run = () => tf.tidy(() => {
      const x = x4();
      const c = tf.ones([6]);
      return [tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1]), tf.batchNorm(x, c, c, c, c)].map((t) => t.dataSync());
    });
    run();
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
  });
});
