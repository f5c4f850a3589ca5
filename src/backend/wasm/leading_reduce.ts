import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import { withScope } from './kernel_scope.js';
import { stockKernel } from './stock_kernels.js';

type ReduceArgs = { inputs: tf.NamedTensorInfoMap; backend: object; attrs: tf.NamedAttrMap };

/**
 * Sum and Mean over leading axes (batch norm's [0, 1, 2] of NHWC) as one product with a row of
 * ones (or of 1/R): the stock kernels transpose the whole tensor first, about 5x slower.
 * Other reductions go to the stock kernel.
 */
function leadingReduce(kernelName: 'Sum' | 'Mean', args: ReduceArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
  const cols = tf.util.sizeFromShape(x.shape.slice(axes.length));
  if (!leading || x.dtype !== 'float32' || rows === 0 || cols === 0) {
    return stockKernel(kernelName).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const outShape = keepDims
    ? x.shape.map((d, i) => (i < axes.length ? 1 : d))
    : x.shape.slice(axes.length);
  const weight = kernelName === 'Mean' ? 1 / rows : 1;
  return withScope(args.backend as BackendWasm, (scope) => {
    const weights = scope.make([1, 1, rows], (w) => w.fill(weight));
    const prod = scope.run('BatchMatMul', { a: weights, b: scope.reshape(x, [1, rows, cols]) },
      { transposeA: false, transposeB: false });
    return scope.reshape(prod, outShape);
  });
}

export const sumKernel = (args: ReduceArgs): tf.TensorInfo => leadingReduce('Sum', args);
export const meanKernel = (args: ReduceArgs): tf.TensorInfo => leadingReduce('Mean', args);
