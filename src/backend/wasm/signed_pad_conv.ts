import { tf } from '../../tf.js';
import type { KernelScope } from './kernel_scope.js';

type TensorInfo = tf.TensorInfo;

export type ForwardConvKernel = 'Conv2D' | 'DepthwiseConv2dNative';

export interface SignedPads { top: number; bottom: number; left: number; right: number }

/**
 * A stride-1 NHWC convolution whose padding may be negative on any side: negative padding crops
 * the input first, positive padding is passed to the forward kernel as explicit padding.
 */
export function convWithSignedPads(scope: KernelScope, kernel: ForwardConvKernel, x: TensorInfo,
    filter: TensorInfo, pads: SignedPads, dilations: [number, number] = [1, 1]): TensorInfo {
  const [n, h, w, c] = x.shape;
  const cropTop = Math.max(0, -pads.top);
  const cropBottom = Math.max(0, -pads.bottom);
  const cropLeft = Math.max(0, -pads.left);
  const cropRight = Math.max(0, -pads.right);
  let input = x;
  if (cropTop + cropBottom + cropLeft + cropRight > 0) {
    input = scope.slice(x, [0, cropTop, cropLeft, 0],
      [n, h - cropTop - cropBottom, w - cropLeft - cropRight, c]);
  }
  const pad = [[0, 0], [Math.max(0, pads.top), Math.max(0, pads.bottom)],
    [Math.max(0, pads.left), Math.max(0, pads.right)], [0, 0]];
  return scope.run(kernel, { x: input, filter }, {
    strides: [1, 1], pad, dilations, dataFormat: 'NHWC', dimRoundingMode: undefined,
  });
}
