import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import type { TorchAddon } from './addon.js';
import { isFloat, withHeapViews, type KernelArgs } from './heap.js';

type Info = tf.TensorInfo;
type Fallback = (args: KernelArgs) => Info;

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * [kernelH, kernelW, strideH, strideW, padH, padW] when libtorch's max pooling computes what tfjs
 * asks for (symmetric padding of at most half the window, the same output size), else null.
 */
function poolGeometry(xShape: number[], attrs: PoolAttrs): number[] | null {
  const info = tf.backend_util.computePool2DInfo(xShape as [number, number, number, number], attrs.filterSize,
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const p = info.padInfo;
  if (p.top !== p.bottom || p.left !== p.right) return null;
  const [kh, kw, sh, sw] = [info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth];
  if (p.top * 2 > kh || p.left * 2 > kw) return null;
  const torchOut = (size: number, k: number, s: number, pad: number) => Math.floor((size + 2 * pad - k) / s) + 1;
  if (torchOut(info.inHeight, kh, sh, p.top) !== info.outHeight || torchOut(info.inWidth, kw, sw, p.left) !== info.outWidth) {
    return null;
  }
  return [kh, kw, sh, sw, p.top, p.left];
}

/** MaxPool (NHWC float32) through libtorch's max_pool2d. */
export function maxPoolKernel(addon: TorchAddon, fallback: Fallback) {
  return (args: KernelArgs): Info => {
    const { x } = args.inputs as { x: Info };
    const g = isFloat(x) ? poolGeometry(x.shape, args.attrs as unknown as PoolAttrs) : null;
    if (g === null) return fallback(args);
    const attrs = args.attrs as unknown as PoolAttrs;
    const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], attrs.filterSize,
      attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const outShape = info.outShape as number[];
    return withHeapViews(args.backend as BackendWasm, [x], [outShape], ([xv], [out]) => {
      addon.maxPool(xv!, x.shape, g, out, outShape);
    })[0];
  };
}

/** MaxPoolGrad: dy to the first maximum of each window (found again from the input). */
export function maxPoolGradKernel(addon: TorchAddon, fallback: Fallback) {
  return (args: KernelArgs): Info => {
    const { dy, input } = args.inputs as { dy: Info; input: Info };
    const g = isFloat(dy, input) ? poolGeometry(input.shape, args.attrs as unknown as PoolAttrs) : null;
    if (g === null) return fallback(args);
    return withHeapViews(args.backend as BackendWasm, [dy, input], [input.shape], ([dyv, xv], [dx]) => {
      addon.maxPoolGrad(dyv!, dy.shape, xv!, input.shape, g, dx);
    })[0];
  };
}
