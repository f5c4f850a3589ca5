import { outShape, seededValues, type ConvCase, type Pad } from './reference_conv.js';

// The shape grid every conv kernel set is checked on (wasm training kernels, libtorch).
const CHANNELS: [number, number][] = [[1, 2], [3, 4], [5, 3], [8, 6]];
const KERNELS = [1, 3, 5, 7];

/** Every stride x padding x kernel size, on odd non-square inputs, cycling through channel counts. */
export const regularCases: ConvCase[] = [];
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

export const depthwiseCases: ConvCase[] = [];
for (const [strides, dilation] of [[1, 1], [2, 1], [1, 2]]) {
  for (const pad of ['same', 'valid'] as const) {
    for (const [k, m] of [[3, 1], [5, 2], [1, 1]]) {
      depthwiseCases.push({ xShape: [2, 9, 11, 3], filterShape: [k, k, 3, m], strides, pad, dilation,
        depthwise: true });
    }
  }
}

export function label(c: ConvCase): string {
  const [fh, fw, ci, co] = c.filterShape;
  return `${fh}x${fw} ${ci}->${co} stride ${c.strides} pad ${JSON.stringify(c.pad)}` +
    `${c.dilation !== undefined && c.dilation > 1 ? ` dilation ${c.dilation}` : ''} x ${c.xShape.join('x')}`;
}

export function inputsFor(c: ConvCase, seed: number) {
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return {
    x: seededValues(size(c.xShape), seed),
    f: seededValues(size(c.filterShape), seed + 1),
    r: seededValues(size(outShape(c)), seed + 2),
  };
}
