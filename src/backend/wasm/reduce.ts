import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import { withScope } from './kernel_scope.js';
import { stockKernel } from './stock_kernels.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

/**
 * Sum and Mean over leading axes (the batch-norm statistics and their gradients reduce
 * [N,H,W,C] over N,H,W) as one average pooling of x seen as [1, R, 1, C] with an [R, 1] window
 * (times R for Sum): 4-5x faster than the stock kernels, which transpose the reduced axes to the
 * end first. (A matrix product ones[1,R] x x[R,C] is slower: it repacks x as weights each call.)
 * Other reductions go to the stock kernel.
 */
function leadingAxesReduce(kind: 'Sum' | 'Mean', args: Args): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.every((a, i) => a === i) && axes.length < x.shape.length;
  const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
  const cols = tf.util.sizeFromShape(x.shape.slice(axes.length));
  if (!leading || x.dtype !== 'float32' || rows * cols === 0) {
    return stockKernel(kind).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const outShape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
  return withScope(args.backend as BackendWasm, (scope) => {
    const mean = scope.run('AvgPool', { x: scope.reshape(x, [1, rows, 1, cols]) },
      { filterSize: [rows, 1], strides: [1, 1], pad: 'valid', dimRoundingMode: undefined });
    if (kind === 'Sum') {
      const values = scope.view(mean);
      for (let i = 0; i < cols; i++) values[i] *= rows;
    }
    return scope.reshape(mean, outShape);
  });
}

export const sumKernel = (args: Args): tf.TensorInfo => leadingAxesReduce('Sum', args);
export const meanKernel = (args: Args): tf.TensorInfo => leadingAxesReduce('Mean', args);
