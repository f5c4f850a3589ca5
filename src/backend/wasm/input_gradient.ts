import { tf } from '../../tf.js';
import type { KernelScope } from './kernel_scope.js';
import { planAxis, type AxisPhase } from './phases.js';
import { convWithSignedPads, type ForwardConvKernel } from './signed_pad_conv.js';

type TensorInfo = tf.TensorInfo;

export interface InputGradientGeometry {
  inShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  padTop: number;
  padLeft: number;
}

/**
 * dx of an NHWC convolution (regular, or depthwise when `kernel` is DepthwiseConv2dNative), built
 * from forward stride-1 convolutions of dy with flipped sub-filters, one per stride phase.
 * Regular filter [FH, FW, C, K]: the sub-filter is [t, u, K, C] (in/out swapped).
 * Depthwise filter [FH, FW, C, M]: the sub-filter is [t, u, C*M, 1]; the M outputs per channel
 * are summed while the phases are interleaved.
 */
export function inputGradient(scope: KernelScope, kernel: ForwardConvKernel, dy: TensorInfo,
    filter: TensorInfo, g: InputGradientGeometry): TensorInfo {
  const [n, h, w, c] = g.inShape;
  const [fh, fw, , fk] = g.filterShape;
  const depthwise = kernel === 'DepthwiseConv2dNative';
  const [dh, dw] = g.dilations;
  const effH = (fh - 1) * dh + 1;
  const effW = (fw - 1) * dw + 1;
  const rows = planAxis(h, dy.shape[1], effH, g.strides[0], g.padTop);
  const cols = planAxis(w, dy.shape[2], effW, g.strides[1], g.padLeft);
  const multiplier = depthwise ? fk : 1;
  const phaseChannels = depthwise ? c * fk : c;

  const phaseOutputs: (TensorInfo | null)[][] = rows.phases.map((rp) => cols.phases.map((cp) => {
    if (rp.taps === 0 || cp.taps === 0) return null;
    if (croppedAway(dy.shape[1], rp) || croppedAway(dy.shape[2], cp)) return null;
    const sub = subFilter(scope, filter, g.filterShape, rp, cp, rows.stride, cols.stride, dh, dw,
      depthwise);
    return convWithSignedPads(scope, kernel, dy, sub,
      { top: rp.padBefore, bottom: rp.padAfter, left: cp.padBefore, right: cp.padAfter });
  }));

  const single = phaseOutputs.length === 1 && phaseOutputs[0].length === 1 ? phaseOutputs[0][0] : null;
  if (single !== null && multiplier === 1 && single.shape[1] === h && single.shape[2] === w) {
    return single;
  }
  const dx = scope.make([n, h, w, c]);
  const out = scope.view(dx);
  for (const [i, rp] of rows.phases.entries()) {
    for (const [j, cp] of cols.phases.entries()) {
      const p = phaseOutputs[i][j];
      if (p === null) continue;
      interleave(scope.view(p), out, { n, h, w, c, multiplier, phaseChannels,
        rows: rows.rows, cols: cols.rows, sh: rows.stride, sw: cols.stride, rho: rp.rho, sigma: cp.rho });
    }
  }
  return dx;
}

function croppedAway(dySize: number, p: AxisPhase): boolean {
  return dySize - Math.max(0, -p.padBefore) - Math.max(0, -p.padAfter) <= 0;
}

/** The flipped taps r, r + stride, ... of the (dilated) filter, laid out as the phase conv's filter. */
function subFilter(scope: KernelScope, filter: TensorInfo, shape: number[], rp: AxisPhase,
    cp: AxisPhase, sh: number, sw: number, dh: number, dw: number, depthwise: boolean): TensorInfo {
  const [, fw, fc, fk] = shape;
  const outShape = depthwise ? [rp.taps, cp.taps, fc * fk, 1] : [rp.taps, cp.taps, fk, fc];
  return scope.make(outShape, (sub) => {
    const src = scope.view(filter);
    const block = fc * fk;
    for (let t = 0; t < rp.taps; t++) {
      const effRow = rp.firstTap + (rp.taps - 1 - t) * sh;
      if (effRow % dh !== 0) continue;
      for (let u = 0; u < cp.taps; u++) {
        const effCol = cp.firstTap + (cp.taps - 1 - u) * sw;
        if (effCol % dw !== 0) continue;
        const from = ((effRow / dh) * fw + effCol / dw) * block;
        const to = (t * cp.taps + u) * block;
        if (depthwise) {
          sub.set(src.subarray(from, from + block), to);
        } else {
          for (let ci = 0; ci < fc; ci++) {
            for (let k = 0; k < fk; k++) sub[to + k * fc + ci] = src[from + ci * fk + k];
          }
        }
      }
    }
  });
}

interface InterleaveShape {
  n: number; h: number; w: number; c: number; multiplier: number; phaseChannels: number;
  rows: number; cols: number; sh: number; sw: number; rho: number; sigma: number;
}

/** Writes phase (rho, sigma) into dx at rows Q*sh + rho, cols Q'*sw + sigma, summing multipliers. */
function interleave(p: Float32Array, dx: Float32Array, s: InterleaveShape): void {
  const { n, h, w, c, multiplier: m, phaseChannels: pc } = s;
  for (let b = 0; b < n; b++) {
    for (let q = 0; q < s.rows; q++) {
      const y = q * s.sh + s.rho;
      if (y >= h) break;
      for (let r = 0; r < s.cols; r++) {
        const x = r * s.sw + s.sigma;
        if (x >= w) break;
        const src = ((b * s.rows + q) * s.cols + r) * pc;
        const dst = ((b * h + y) * w + x) * c;
        if (m === 1) {
          dx.set(p.subarray(src, src + c), dst);
        } else {
          for (let ci = 0; ci < c; ci++) {
            let sum = 0;
            for (let k = 0; k < m; k++) sum += p[src + ci * m + k];
            dx[dst + ci] = sum;
          }
        }
      }
    }
  }
}
