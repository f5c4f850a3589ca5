import { tf } from '../../tf.js';
import type { KernelScope } from './kernel_scope.js';

type TensorInfo = tf.TensorInfo;

export interface FilterGradientGeometry {
  filterShape: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  padTop: number;
  padLeft: number;
}

/**
 * dW of a regular NHWC convolution: 1x1 unpadded as one matrix product, others as one forward
 * convolution (correlationFilterGradient). An im2col matrix product measured slower here: with
 * the reduction over N*H*W rows the wasm matrix product is memory-bound.
 */
export function conv2dFilterGradient(scope: KernelScope, x: TensorInfo, dy: TensorInfo,
    g: FilterGradientGeometry): TensorInfo {
  const [fh, fw] = g.filterShape;
  if (fh === 1 && fw === 1 && g.padTop === 0 && g.padLeft === 0) {
    return pointwiseFilterGradient(scope, x, dy, g.strides);
  }
  return correlationFilterGradient(scope, x, dy, g);
}

/**
 * dW as one forward convolution: the input transposed to [C, H, W, N] convolved with dy
 * transposed to [OH, OW, N, K] as the filter, dilated by the stride;
 * out[c, i, j, k] = sum over n, oh, ow of x[n, i + oh*s - pad, ...] * dy[n, oh, ow, k].
 */
export function correlationFilterGradient(scope: KernelScope, x: TensorInfo, dy: TensorInfo,
    g: FilterGradientGeometry): TensorInfo {
  const [fh, fw, c, k] = g.filterShape;
  const xT = scope.transpose(x, [3, 1, 2, 0]);
  const dyT = scope.transpose(dy, [1, 2, 0, 3]);
  const full = scope.run('Conv2D', { x: xT, filter: dyT },
    { strides: [1, 1], dilations: g.strides, pad: correlationPads(x, dy, g), dataFormat: 'NHWC' });
  const [, hf, wf] = full.shape;
  return scope.make([fh, fw, c, k], (dw) => {
    const src = scope.view(full);
    for (let ci = 0; ci < c; ci++) {
      for (let i = 0; i < fh; i++) {
        for (let j = 0; j < fw; j++) {
          const from = ((ci * hf + i) * wf + j) * k;
          dw.set(src.subarray(from, from + k), ((i * fw + j) * c + ci) * k);
        }
      }
    }
  });
}

/**
 * dW of a depthwise NHWC convolution (filter [FH, FW, C, M]) as one depthwise convolution over
 * [1, H, W, N*C] with dy as a [OH, OW, N*C, M] filter dilated by the stride, then a sum over N.
 */
export function depthwiseFilterGradient(scope: KernelScope, x: TensorInfo, dy: TensorInfo,
    g: FilterGradientGeometry): TensorInfo {
  const [fh, fw, c, m] = g.filterShape;
  const [n, h, w] = x.shape;
  const [, oh, ow] = dy.shape;
  const [dh, dw] = g.dilations;
  const xT = scope.reshape(scope.transpose(x, [1, 2, 0, 3]), [1, h, w, n * c]);
  const dyT = scope.reshape(scope.transpose(dy, [1, 2, 0, 3]), [oh, ow, n * c, m]);
  const effective = { ...g, filterShape: [(fh - 1) * dh + 1, (fw - 1) * dw + 1, c, m] as const };
  const full = scope.run('DepthwiseConv2dNative', { x: xT, filter: dyT }, {
    strides: [1, 1], dilations: g.strides, pad: correlationPads(x, dy, effective),
    dataFormat: 'NHWC',
  });
  const wf = full.shape[2];
  const cm = c * m;
  return scope.make([fh, fw, c, m], (dW) => {
    const src = scope.view(full);
    for (let i = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) {
        const to = (i * fw + j) * cm;
        const pixel = ((i * dh) * wf + j * dw) * n * cm;
        for (let b = 0; b < n; b++) {
          const from = pixel + b * cm;
          for (let q = 0; q < cm; q++) dW[to + q] += src[from + q];
        }
      }
    }
  });
}

/**
 * 1x1 unpadded: dW[c, k] = xs[NHW, C]^T dy[NHW, K] with xs the strided input pixels. The transpose
 * is explicit: the wasm matrix product with transposeA is about 40x slower than without.
 */
function pointwiseFilterGradient(scope: KernelScope, x: TensorInfo, dy: TensorInfo,
    strides: [number, number]): TensorInfo {
  const [n, h, w, c] = x.shape;
  const [, oh, ow, k] = dy.shape;
  const xs = oh === h && ow === w ? x : scope.make([n, oh, ow, c], (out) => {
    const src = scope.view(x);
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          const from = ((b * h + i * strides[0]) * w + j * strides[1]) * c;
          out.set(src.subarray(from, from + c), ((b * oh + i) * ow + j) * c);
        }
      }
    }
  });
  const rows = n * oh * ow;
  const xT = scope.reshape(scope.transpose(scope.reshape(xs, [rows, c]), [1, 0]), [1, c, rows]);
  const prod = scope.run('BatchMatMul', { a: xT, b: scope.reshape(dy, [1, rows, k]) },
    { transposeA: false, transposeB: false });
  return scope.reshape(prod, [1, 1, c, k]);
}

/**
 * Explicit padding for the correlation of x with dy so that it yields at least the effective
 * filter's extent: the forward padding before, enough after (never negative; extra is cropped).
 */
function correlationPads(x: TensorInfo, dy: TensorInfo,
    g: { filterShape: readonly number[]; strides: [number, number]; padTop: number; padLeft: number }) {
  const after = (size: number, dySize: number, f: number, s: number, before: number) =>
    Math.max(0, f + (dySize - 1) * s - size - before);
  return [[0, 0],
    [g.padTop, after(x.shape[1], dy.shape[1], g.filterShape[0], g.strides[0], g.padTop)],
    [g.padLeft, after(x.shape[2], dy.shape[2], g.filterShape[1], g.strides[1], g.padLeft)],
    [0, 0]];
}
