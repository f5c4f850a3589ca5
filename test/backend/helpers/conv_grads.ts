import { useBackend, type BackendName } from '../../../src/backend/index.js';
import { tf } from '../../../src/tf.js';
import { outShape, type ConvCase } from './reference_conv.js';

export interface ConvGrads { dx: Float32Array; df: Float32Array }

/** d/dx and d/df of sum(conv(x, f) * r) on `backend`, through tf.grads (so through the kernels). */
export async function convGrads(backend: BackendName, c: ConvCase, x: Float64Array, f: Float64Array,
    r: Float64Array): Promise<ConvGrads> {
  await useBackend(backend);
  const [dx, df] = tf.tidy(() => {
    const xt = tf.tensor4d(Float32Array.from(x), c.xShape);
    const ft = tf.tensor4d(Float32Array.from(f), c.filterShape);
    const rt = tf.tensor4d(Float32Array.from(r), outShape(c));
    const d = c.dilation ?? 1;
    // tf.grads refuses dilated depthwise convs; their gradient kernels are still called directly.
    if (c.depthwise && d > 1) return directDepthwiseGrads(c, xt, ft, rt);
    const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const y = c.depthwise
        ? tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad, 'NHWC', d)
        : tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad);
      return tf.sum(tf.mul(y, rt));
    };
    return tf.grads(loss)([xt, ft]);
  });
  const out = { dx: dx.dataSync() as Float32Array, df: df.dataSync() as Float32Array };
  tf.dispose([dx, df]);
  return out;
}

/** Largest absolute difference, relative to the largest magnitude of the reference (or 1). */
export function relativeMaxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expectSameLength(actual, expected);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

function expectSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new Error(`length ${a.length} differs from reference ${b.length}`);
}

function directDepthwiseGrads(c: ConvCase, x: tf.Tensor4D, f: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor[] {
  const attrs = { strides: c.strides, dilations: c.dilation ?? 1, pad: c.pad };
  const engine = tf.engine();
  const dx = engine.runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: f },
    { ...attrs, inputShape: c.xShape } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const df = engine.runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy },
    { ...attrs, filterShape: c.filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor;
  return [dx, df];
}
