import { describe, expect, it } from 'vitest';
import type { BackendName } from '../../src/backend/index.js';
import { convGrads, relativeMaxError } from './helpers/conv_grads.js';
import {
  finiteDifferences, linearLoss, outShape, sampleIndices, seededValues, type ConvCase, type Pad,
} from './helpers/reference_conv.js';

const CHANNELS: [number, number][] = [[1, 2], [3, 4], [5, 3], [8, 6]];
const KERNELS = [1, 3, 5, 7];

// Every stride x padding x kernel size, on odd non-square inputs, cycling through channel counts.
const regularCases: ConvCase[] = [];
for (const strides of [1, 2, 3]) {
  for (const pad of ['same', 'valid'] as const) {
    for (const [i, k] of KERNELS.entries()) {
      const [cin, cout] = CHANNELS[(i + strides) % CHANNELS.length];
      regularCases.push({ xShape: [2, 9, 11, cin], filterShape: [k, k, cin, cout], strides, pad });
    }
  }
}
const explicitPad: Pad = [[0, 0], [2, 0], [0, 3], [0, 0]];
regularCases.push(
  { xShape: [1, 7, 5, 2], filterShape: [3, 2, 2, 3], strides: 2, pad: 1 },
  { xShape: [2, 8, 7, 3], filterShape: [3, 5, 3, 2], strides: 3, pad: explicitPad },
  { xShape: [1, 13, 13, 4], filterShape: [2, 2, 4, 4], strides: 3, pad: 'same' },
);

const depthwiseCases: ConvCase[] = [];
for (const [strides, dilation] of [[1, 1], [2, 1], [1, 2]]) {
  for (const pad of ['same', 'valid'] as const) {
    for (const [k, m] of [[3, 1], [5, 2], [1, 1]]) {
      depthwiseCases.push({ xShape: [2, 9, 11, 3], filterShape: [k, k, 3, m], strides, pad, dilation,
        depthwise: true });
    }
  }
}

function label(c: ConvCase): string {
  const [fh, fw, ci, co] = c.filterShape;
  return `${fh}x${fw} ${ci}->${co} stride ${c.strides} pad ${JSON.stringify(c.pad)}` +
    `${c.dilation !== undefined && c.dilation > 1 ? ` dilation ${c.dilation}` : ''} x ${c.xShape.join('x')}`;
}

function inputsFor(c: ConvCase, seed: number) {
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return {
    x: seededValues(size(c.xShape), seed),
    f: seededValues(size(c.filterShape), seed + 1),
    r: seededValues(size(outShape(c)), seed + 2),
  };
}

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
