import { describe, expect, it } from 'vitest';
import type { BackendName } from '../../src/backend/index.js';
import { convGrads, relativeMaxError } from './helpers/conv_grads.js';
import { finiteDifferences, linearLoss, sampleIndices, type ConvCase } from './helpers/reference_conv.js';
import { depthwiseCases, inputsFor, label, regularCases } from './helpers/conv_cases.js';

async function checkCase(c: ConvCase, seed: number): Promise<void> {
  const { x, f, r } = inputsFor(c, seed);
  const loss = () => linearLoss(c, x, f, r);
  const xIdx = sampleIndices(x.length, 24);
  const fIdx = sampleIndices(f.length, 24);
  const fdX = finiteDifferences(x, xIdx, loss);
  const fdF = finiteDifferences(f, fIdx, loss);
  const grads: Partial<Record<BackendName, Awaited<ReturnType<typeof convGrads>>>> = {};
  // The cpu backend's depthwise gradient kernels ignore dilations, so dilated cases check wasm only.
  const dilated = (c.dilation ?? 1) > 1;
  const backends = dilated ? (['wasm'] as const) : (['cpu', 'wasm'] as const);
  for (const backend of backends) {
    const g = await convGrads(backend, c, x, f, r);
    grads[backend] = g;
    expect(relativeMaxError(xIdx.map((i) => g.dx[i]), fdX), `${backend} dx vs finite differences`)
      .toBeLessThan(1e-4);
    expect(relativeMaxError(fIdx.map((i) => g.df[i]), fdF), `${backend} dW vs finite differences`)
      .toBeLessThan(1e-4);
  }
  if (dilated) return;
  expect(relativeMaxError(grads.wasm!.dx, grads.cpu!.dx), 'wasm dx vs cpu').toBeLessThan(1e-5);
  expect(relativeMaxError(grads.wasm!.df, grads.cpu!.df), 'wasm dW vs cpu').toBeLessThan(1e-5);
}

describe('conv2d gradients (wasm training kernels and cpu) match finite differences and each other', () => {
  for (const [i, c] of regularCases.entries()) {
    it(label(c), async () => checkCase(c, 100 + 7 * i));
  }
});

describe('depthwise conv2d gradients match finite differences and each other', () => {
  for (const [i, c] of depthwiseCases.entries()) {
    it(label(c), async () => checkCase(c, 500 + 7 * i));
  }
});
