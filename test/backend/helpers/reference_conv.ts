// Float64 reference convolutions (NHWC) and central finite differences of a linear loss, written
// from the definitions so that they share no code with TensorFlow.js.

export type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

export interface ConvCase {
  xShape: [number, number, number, number];
  /** Regular: [FH, FW, C, K]; depthwise: [FH, FW, C, M]. */
  filterShape: [number, number, number, number];
  strides: number;
  pad: Pad;
  dilation?: number;
  depthwise?: boolean;
}

interface Geometry { oh: number; ow: number; top: number; left: number }

function axis(size: number, f: number, s: number, d: number, pad: Pad, dim: 1 | 2): { out: number; before: number } {
  const eff = (f - 1) * d + 1;
  if (pad === 'valid') return { out: Math.ceil((size - eff + 1) / s), before: 0 };
  if (pad === 'same') {
    const out = Math.ceil(size / s);
    const total = Math.max((out - 1) * s + eff - size, 0);
    return { out, before: Math.floor(total / 2) };
  }
  const [before, after] = typeof pad === 'number' ? [pad, pad] : pad[dim];
  return { out: Math.floor((size + before + after - eff) / s) + 1, before };
}

export function geometry(c: ConvCase): Geometry {
  const d = c.dilation ?? 1;
  const r = axis(c.xShape[1], c.filterShape[0], c.strides, d, c.pad, 1);
  const q = axis(c.xShape[2], c.filterShape[1], c.strides, d, c.pad, 2);
  return { oh: r.out, ow: q.out, top: r.before, left: q.before };
}

export function outShape(c: ConvCase): [number, number, number, number] {
  const g = geometry(c);
  const [, , ch, k] = c.filterShape;
  return [c.xShape[0], g.oh, g.ow, c.depthwise ? ch * k : k];
}

/** sum(conv(x, f) * r) in float64. */
export function linearLoss(c: ConvCase, x: Float64Array, f: Float64Array, r: Float64Array): number {
  const [n, h, w, ch] = c.xShape;
  const [fh, fw, , k] = c.filterShape;
  const d = c.dilation ?? 1;
  const s = c.strides;
  const g = geometry(c);
  const outC = c.depthwise ? ch * k : k;
  let loss = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < g.oh; i++) {
      for (let j = 0; j < g.ow; j++) {
        const rBase = ((b * g.oh + i) * g.ow + j) * outC;
        for (let u = 0; u < fh; u++) {
          const y = i * s + u * d - g.top;
          if (y < 0 || y >= h) continue;
          for (let v = 0; v < fw; v++) {
            const xx = j * s + v * d - g.left;
            if (xx < 0 || xx >= w) continue;
            const xBase = ((b * h + y) * w + xx) * ch;
            const fBase = (u * fw + v) * ch * k;
            for (let ci = 0; ci < ch; ci++) {
              const xv = x[xBase + ci];
              for (let o = 0; o < k; o++) {
                const outIndex = c.depthwise ? ci * k + o : o;
                loss += xv * f[fBase + ci * k + o] * r[rBase + outIndex];
              }
            }
          }
        }
      }
    }
  }
  return loss;
}

/** Central differences of `loss` at the given flat indices of `values` (perturbed in place). */
export function finiteDifferences(values: Float64Array, indices: number[], loss: () => number,
    h = 1e-3): number[] {
  return indices.map((i) => {
    const saved = values[i];
    values[i] = saved + h;
    const up = loss();
    values[i] = saved - h;
    const down = loss();
    values[i] = saved;
    return (up - down) / (2 * h);
  });
}

/** Deterministic pseudo-random values in [-1, 1) (an LCG: tests must not depend on Math.random). */
export function seededValues(size: number, seed: number): Float64Array {
  const out = new Float64Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** Up to `count` distinct flat indices spread over [0, size), always including both ends. */
export function sampleIndices(size: number, count: number): number[] {
  if (size <= count) return Array.from({ length: size }, (_, i) => i);
  const step = (size - 1) / (count - 1);
  return [...new Set(Array.from({ length: count }, (_, i) => Math.round(i * step)))];
}
