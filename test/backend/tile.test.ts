import { describe, expect, it } from 'vitest';
import { useBackend } from '../../src/backend/index.js';
import { tf } from '../../src/tf.js';

const CASES: { shape: number[]; reps: number[]; dtype: 'float32' | 'int32' | 'bool' }[] = [
  { shape: [3], reps: [4], dtype: 'float32' },
  { shape: [2, 3], reps: [3, 2], dtype: 'int32' },
  { shape: [1, 1, 1, 5], reps: [4, 3, 2, 1], dtype: 'float32' },
  { shape: [2, 1, 3, 1], reps: [1, 4, 1, 3], dtype: 'float32' },
  { shape: [2, 3, 2], reps: [1, 1, 1], dtype: 'bool' },
  { shape: [1, 2, 1, 2, 3], reps: [2, 1, 3, 1, 2], dtype: 'int32' },
  { shape: [2, 0, 3], reps: [2, 2, 2], dtype: 'float32' },
];

/** Tile from its definition: out[i] = x[i mod shape] along every axis. */
function tileReference(values: number[], shape: number[], reps: number[]): number[] {
  const outShape = shape.map((d, i) => d * reps[i]);
  const size = outShape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    let src = 0;
    let stride = 1;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const coord = rest % outShape[axis];
      rest = Math.floor(rest / outShape[axis]);
      src += (coord % shape[axis]) * stride;
      stride *= shape[axis];
    }
    out.push(values[src]);
  }
  return out;
}

describe('Tile on wasm (tfrazor kernel)', () => {
  it('tiles [2,3] by [2,2] to the hand-written result', async () => {
    await useBackend('wasm');
    const t = tf.tile(tf.tensor2d([[1, 2, 3], [4, 5, 6]]), [2, 2]);
    expect(t.shape).toEqual([4, 6]);
    expect(await t.array()).toEqual([
      [1, 2, 3, 1, 2, 3], [4, 5, 6, 4, 5, 6], [1, 2, 3, 1, 2, 3], [4, 5, 6, 4, 5, 6],
    ]);
    t.dispose();
  });

  for (const c of CASES) {
    it(`${c.dtype} [${c.shape}] x [${c.reps}] matches the definition and the cpu backend`, async () => {
      const size = c.shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: size }, (_, i) => (c.dtype === 'bool' ? i % 2 : i * 3 - 7));
      const expected = tileReference(values, c.shape, c.reps);
      const results: number[][] = [];
      for (const backend of ['wasm', 'cpu'] as const) {
        await useBackend(backend);
        const t = tf.tile(tf.tensor(values, c.shape, c.dtype), c.reps);
        expect(t.shape).toEqual(c.shape.map((d, i) => d * c.reps[i]));
        expect(t.dtype).toBe(c.dtype);
        results.push(Array.from(await t.data(), Number));
        t.dispose();
      }
      expect(results[0]).toEqual(expected);
      expect(results[1]).toEqual(expected);
    });
  }
});
