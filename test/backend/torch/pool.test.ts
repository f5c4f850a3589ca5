import { describe, expect, it } from 'vitest';
import { useBackend, type BackendName } from '../../../src/backend/index.js';
import { tf } from '../../../src/tf.js';
import { relativeMaxError } from '../helpers/conv_grads.js';
import { seededValues } from '../helpers/reference_conv.js';
import { torchBuilt } from './availability.js';

type Pad = 'same' | 'valid' | number;

async function poolAndGrad(backend: BackendName, shape: [number, number, number, number], k: number, s: number,
    pad: Pad): Promise<Float32Array[]> {
  await useBackend(backend);
  const out = tf.tidy(() => {
    // Distinct values: ties would let engines pick different (equally valid) maxima.
    const x = tf.tensor4d(Float32Array.from(seededValues(shape.reduce((a, b) => a * b, 1), 7)), shape);
    const f = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, k, s, pad);
    const y = f(x);
    const r = tf.tensor(Float32Array.from(seededValues(y.size, 8)), y.shape);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), r)))(x);
    return [y, dx];
  });
  const values = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  return values;
}

describe.skipIf(!torchBuilt)('libtorch max pooling (the Track-1 stem: 3x3 stride 2 pad 1)', () => {
  const cases: { shape: [number, number, number, number]; k: number; s: number; pad: Pad }[] = [
    { shape: [2, 9, 8, 3], k: 3, s: 2, pad: 1 },
    { shape: [1, 7, 7, 2], k: 2, s: 2, pad: 'valid' },
    { shape: [2, 8, 8, 4], k: 3, s: 1, pad: 'same' },
    { shape: [1, 10, 10, 2], k: 3, s: 2, pad: 'same' },
  ];
  for (const c of cases) {
    // The gradient is checked against cpu only: stock wasm's MaxPoolGrad drops an entry of dx in
    // two of these cases (e.g. index 18 of the 2x2-valid case), where cpu and libtorch agree.
    it(`${c.k}x${c.k} stride ${c.s} pad ${c.pad} on [${c.shape}]: output matches cpu and wasm, gradient cpu`, async () => {
      const torch = await poolAndGrad('torch', c.shape, c.k, c.s, c.pad);
      const cpu = await poolAndGrad('cpu', c.shape, c.k, c.s, c.pad);
      const wasm = await poolAndGrad('wasm', c.shape, c.k, c.s, c.pad);
      expect(relativeMaxError(torch[0]!, cpu[0]!), 'pool vs cpu').toBe(0);
      expect(relativeMaxError(torch[0]!, wasm[0]!), 'pool vs wasm').toBe(0);
      expect(relativeMaxError(torch[1]!, cpu[1]!), 'gradient vs cpu').toBeLessThan(1e-6);
    });
  }
});
