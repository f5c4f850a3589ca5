import type { Pixels } from '../transforms/geometry.js';

/** Copy one HWC uint8 image into a float batch at `offset`, mapping channel c by p * mul[c] + add[c]. */
export function writeSample(pixels: Pixels, mul: Float64Array, add: Float64Array, out: Float32Array, offset: number): void {
  const { data, channels } = pixels;
  if (channels === 1) {
    const m = mul[0]!;
    const a = add[0]!;
    for (let i = 0; i < data.length; i++) out[offset + i] = data[i]! * m + a;
    return;
  }
  for (let i = 0; i < data.length; i += channels) {
    for (let c = 0; c < channels; c++) out[offset + i + c] = data[i + c]! * mul[c]! + add[c]!;
  }
}
