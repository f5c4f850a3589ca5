import { afterAll, describe, expect, it } from 'vitest';
import {
  activeWasmTrainingKernels, registerWasmTrainingKernels, restoreStockWasmKernels, useBackend,
} from '../../src/backend/index.js';
import { tf } from '../../src/tf.js';

function convGradients(): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([2, 9, 9, 4], 0, 1, 'float32', 1) as tf.Tensor4D;
    const f = tf.randomNormal([3, 3, 4, 5], 0, 1, 'float32', 2) as tf.Tensor4D;
    const scale = tf.randomNormal([1, 1, 1, 5], 0, 1, 'float32', 3);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), scale)))([x, f]);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

function wasmBuffers(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

describe('wasm training kernel registration', () => {
  afterAll(() => registerWasmTrainingKernels());

  it('restores the stock kernels (keeping the missing filter gradient) and registers again', async () => {
    await useBackend('wasm');
    const ours = convGradients();
    restoreStockWasmKernels();
    expect(activeWasmTrainingKernels().sort()).toEqual([
      'Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'TfrazorSgdStep',
    ]);
    const stock = convGradients();
    expect(Array.from(stock[0]).map((v, i) => Math.abs(v - ours[0][i])).every((d) => d < 1e-4)).toBe(true);
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(activeWasmTrainingKernels()).toHaveLength(12);
  });

  it('releases every intermediate wasm buffer the kernels make', async () => {
    await useBackend('wasm');
    convGradients();
    const tensors = tf.memory().numTensors;
    const buffers = wasmBuffers();
    for (let i = 0; i < 3; i++) convGradients();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(wasmBuffers()).toBe(buffers);
  });
});

describe('BatchMatMul on wasm (transposed operands made explicit)', () => {
  const cases: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    { a: [5, 3], b: [5, 4], ta: true, tb: false },
    { a: [3, 5], b: [4, 5], ta: false, tb: true },
    { a: [5, 3], b: [4, 5], ta: true, tb: true },
    { a: [2, 6, 3], b: [2, 4, 6], ta: true, tb: true },
    { a: [1, 3, 5], b: [2, 4, 5], ta: false, tb: true },
    { a: [3, 5], b: [5, 4], ta: false, tb: false },
  ];
  for (const c of cases) {
    it(`[${c.a}]${c.ta ? 'ᵀ' : ''} x [${c.b}]${c.tb ? 'ᵀ' : ''} matches the cpu backend`, async () => {
      const results: number[][] = [];
      for (const backend of ['cpu', 'wasm'] as const) {
        await useBackend(backend);
        const out = tf.tidy(() => tf.matMul(tf.randomNormal(c.a, 0, 1, 'float32', 1),
          tf.randomNormal(c.b, 0, 1, 'float32', 2), c.ta, c.tb));
        results.push(Array.from(await out.data()));
        out.dispose();
      }
      expect(results[1].length).toBe(results[0].length);
      results[1].forEach((v, i) => expect(v).toBeCloseTo(results[0][i], 4));
    });
  }
});

describe('Conv2DBackpropInput with NCHW on wasm', () => {
  it('falls back to the stock kernel and matches the cpu backend', async () => {
    const results: number[][] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const out = tf.tidy(() => tf.engine().runKernel('Conv2DBackpropInput', {
        dy: tf.randomNormal([2, 3, 3, 3], 0, 1, 'float32', 4),
        filter: tf.randomNormal([3, 3, 2, 3], 0, 1, 'float32', 5),
      }, { strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape: [2, 2, 5, 5] }) as tf.Tensor);
      results.push(Array.from(await out.data()));
      out.dispose();
    }
    expect(results[1].length).toBe(2 * 2 * 5 * 5);
    results[1].forEach((v, i) => expect(v).toBeCloseTo(results[0][i], 4));
  });
});
