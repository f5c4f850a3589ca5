import { describe, expect, it } from 'vitest';
import { useBackend, type BackendName } from '../../../src/backend/index.js';
import { tf } from '../../../src/tf.js';
import { convGrads, relativeMaxError } from '../helpers/conv_grads.js';
import { depthwiseCases, inputsFor, label, regularCases } from '../helpers/conv_cases.js';
import { outShape, type ConvCase } from '../helpers/reference_conv.js';
import { torchBuilt } from './availability.js';

const TOLERANCE = 1e-5;

async function forward(backend: BackendName, c: ConvCase, x: Float64Array, f: Float64Array): Promise<Float32Array> {
  await useBackend(backend);
  const y = tf.tidy(() => {
    const xt = tf.tensor4d(Float32Array.from(x), c.xShape);
    const ft = tf.tensor4d(Float32Array.from(f), c.filterShape);
    return c.depthwise
      ? tf.depthwiseConv2d(xt, ft, c.strides, c.pad as 'same', 'NHWC', c.dilation ?? 1)
      : tf.conv2d(xt, ft, c.strides, c.pad as 'same');
  });
  const out = y.dataSync() as Float32Array;
  y.dispose();
  return out;
}

// The cpu backend's depthwise gradients ignore dilations, so dilated cases compare with wasm only.
async function checkAgainstReferences(c: ConvCase, seed: number): Promise<void> {
  const { x, f, r } = inputsFor(c, seed);
  const references: BackendName[] = (c.dilation ?? 1) > 1 ? ['wasm'] : ['cpu', 'wasm'];
  const torchY = await forward('torch', c, x, f);
  const torchG = await convGrads('torch', c, x, f, r);
  expect(torchY.length).toBe(outShape(c).reduce((a, b) => a * b, 1));
  for (const ref of references) {
    const y = await forward(ref, c, x, f);
    const g = await convGrads(ref, c, x, f, r);
    expect(relativeMaxError(torchY, y), `forward vs ${ref}`).toBeLessThan(TOLERANCE);
    expect(relativeMaxError(torchG.dx, g.dx), `dx vs ${ref}`).toBeLessThan(TOLERANCE);
    expect(relativeMaxError(torchG.df, g.df), `dW vs ${ref}`).toBeLessThan(TOLERANCE);
  }
}

describe.skipIf(!torchBuilt)('libtorch conv2d: forward and both gradients match wasm and cpu within 1e-5', () => {
  for (const [i, c] of regularCases.entries()) {
    it(label(c), async () => checkAgainstReferences(c, 100 + 7 * i));
  }
});

describe.skipIf(!torchBuilt)('libtorch depthwise conv2d (multiplier 2 falls back to wasm) matches wasm and cpu', () => {
  for (const [i, c] of depthwiseCases.entries()) {
    it(label(c), async () => checkAgainstReferences(c, 500 + 7 * i));
  }
});

describe.skipIf(!torchBuilt)('libtorch fused conv (bias + activation, as eval-mode folded BN runs)', () => {
  const cases: { depthwise: boolean; activation: 'linear' | 'relu' | 'relu6'; strides: number }[] = [
    { depthwise: false, activation: 'relu', strides: 1 },
    { depthwise: false, activation: 'relu6', strides: 2 },
    { depthwise: false, activation: 'linear', strides: 2 },
    { depthwise: true, activation: 'relu6', strides: 1 },
    { depthwise: true, activation: 'linear', strides: 2 },
  ];
  for (const c of cases) {
    it(`${c.depthwise ? 'depthwise' : 'regular'} ${c.activation} stride ${c.strides} matches cpu`, async () => {
      const run = async (backend: BackendName) => {
        await useBackend(backend);
        const y = tf.tidy(() => {
          const x = tf.randomNormal([2, 9, 8, 4], 0, 3, 'float32', 3) as tf.Tensor4D;
          const filter = tf.randomNormal([3, 3, 4, c.depthwise ? 1 : 5], 0, 1, 'float32', 4) as tf.Tensor4D;
          const bias = tf.randomNormal([c.depthwise ? 4 : 5], 0, 1, 'float32', 5) as tf.Tensor1D;
          const args = { x, filter, strides: c.strides, pad: 1 as const, bias, activation: c.activation };
          return c.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
        });
        const out = y.dataSync() as Float32Array;
        y.dispose();
        return out;
      };
      const torch = await run('torch');
      const cpu = await run('cpu');
      expect(relativeMaxError(torch, cpu)).toBeLessThan(TOLERANCE);
      if (c.activation === 'relu6') expect(Math.max(...torch)).toBeLessThanOrEqual(6);
    });
  }
});

describe.skipIf(!torchBuilt)('libtorch BatchMatMul', () => {
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    it(`transposeA ${ta} transposeB ${tb} matches cpu; unequal batches fall back`, async () => {
      const run = async (backend: BackendName, batchB: number) => {
        await useBackend(backend);
        const y = tf.tidy(() => {
          const a = tf.randomNormal(ta ? [3, 5, 4] : [3, 4, 5], 0, 1, 'float32', 8) as tf.Tensor3D;
          const b = tf.randomNormal(tb ? [batchB, 6, 5] : [batchB, 5, 6], 0, 1, 'float32', 9) as tf.Tensor3D;
          return tf.matMul(a, b, ta, tb);
        });
        const out = y.dataSync() as Float32Array;
        y.dispose();
        return out;
      };
      for (const batchB of [3, 1]) {
        expect(relativeMaxError(await run('torch', batchB), await run('cpu', batchB))).toBeLessThan(TOLERANCE);
      }
    });
  }
});
