import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import type { TorchAddon } from './addon.js';
import { isFloat, withHeapViews, type KernelArgs } from './heap.js';

type Info = tf.TensorInfo;
type Shape4 = [number, number, number, number];
type Fallback = (args: KernelArgs) => Info;

interface ConvAttrs {
  strides: [number, number] | number;
  dilations?: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW' | 'channelsLast';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
  inputShape?: Shape4;
  filterShape?: Shape4;
}

const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2 };

// [strideH, strideW, dilationH, dilationW, padTop, padBottom, padLeft, padRight, depthwise]
function geometry(xShape: number[], filterShape: number[], attrs: ConvAttrs, depthwise: boolean) {
  const info = tf.backend_util.computeConv2DInfo(xShape as Shape4, filterShape as Shape4, attrs.strides,
    attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, depthwise, 'channelsLast');
  const p = info.padInfo;
  return {
    outShape: info.outShape as number[],
    flat: [info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
      p.top, p.bottom, p.left, p.right, depthwise ? 1 : 0],
  };
}

// What libtorch's convolution covers: NHWC float32, depthwise with channel multiplier 1,
// no negative (tfjs 'same' with large strides never gives one, but explicit padding could).
function supported(attrs: ConvAttrs, filterShape: number[], depthwise: boolean, ...ts: (Info | undefined)[]): boolean {
  if (attrs.dataFormat === 'NCHW' || !isFloat(...ts)) return false;
  if (depthwise && filterShape[3] !== 1) return false;
  return attrs.activation === undefined || attrs.activation in ACTIVATIONS;
}

/** Conv2D / DepthwiseConv2dNative and their fused (bias + activation) forms through libtorch. */
export function forwardKernel(addon: TorchAddon, depthwise: boolean, fallback: Fallback) {
  return (args: KernelArgs): Info => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, Info | undefined>;
    const attrs = args.attrs as unknown as ConvAttrs;
    const biasOk = bias === undefined || (bias.shape.length === 1 && bias.shape[0] === x!.shape[3]);
    if (!supported(attrs, filter!.shape, depthwise, x, filter, bias) || !biasOk || preluActivationWeights !== undefined) {
      return fallback(args);
    }
    const g = geometry(x!.shape, filter!.shape, attrs, depthwise);
    if (bias !== undefined && bias.shape[0] !== g.outShape[3]) return fallback(args);
    const act = ACTIVATIONS[attrs.activation ?? 'linear'];
    return withHeapViews(args.backend as BackendWasm, [x, filter, bias], [g.outShape], ([xv, fv, bv], [out]) => {
      addon.conv2dForward(xv!, x!.shape, fv!, filter!.shape, bv, bias?.shape ?? [], act, g.flat, out, g.outShape);
    })[0];
  };
}

/**
 * Conv2DBackpropInput / DepthwiseConv2dNativeBackpropInput ('input': {dy, filter}, attr inputShape)
 * and Conv2DBackpropFilter / DepthwiseConv2dNativeBackpropFilter ('filter': {x, dy}, attr
 * filterShape) through libtorch.
 */
export function gradientKernel(addon: TorchAddon, of: 'input' | 'filter', depthwise: boolean, fallback: Fallback) {
  return (args: KernelArgs): Info => {
    const inputs = args.inputs as { dy: Info; filter?: Info; x?: Info };
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: Shape4; filterShape: Shape4 };
    const dy = inputs.dy;
    const other = (of === 'input' ? inputs.filter : inputs.x)!;
    const xShape = of === 'input' ? attrs.inputShape : other.shape;
    const filterShape = of === 'input' ? other.shape : attrs.filterShape;
    if (!supported(attrs, filterShape, depthwise, dy, other)) return fallback(args);
    const g = geometry(xShape, filterShape, attrs, depthwise);
    const outShape = of === 'input' ? attrs.inputShape : attrs.filterShape;
    return withHeapViews(args.backend as BackendWasm, [dy, other], [outShape], ([dyv, ov], [out]) => {
      if (of === 'input') addon.conv2dBackwardInput(dyv!, dy.shape, ov!, other.shape, g.flat, out, outShape);
      else addon.conv2dBackwardFilter(ov!, other.shape, dyv!, dy.shape, g.flat, out, outShape);
    })[0];
  };
}
