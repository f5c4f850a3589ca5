import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import { conv2dFilterGradient, depthwiseFilterGradient } from './filter_gradient.js';
import { inputGradient } from './input_gradient.js';
import { withScope } from './kernel_scope.js';
import { stockKernel } from './stock_kernels.js';

type Info = tf.TensorInfo;
type Shape4 = [number, number, number, number];
export interface KernelArgs { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap }

interface ConvAttrs {
  strides: [number, number] | number;
  dilations?: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

class UnsupportedLayoutError extends Error {
  constructor(kernel: string, dataFormat: string) {
    super(`${kernel} on wasm supports dataFormat NHWC only, got ${dataFormat}; ` +
      'the wasm forward convolutions are NHWC-only too.');
    this.name = 'UnsupportedLayoutError';
  }
}

function geometry(xShape: number[], filterShape: Shape4, attrs: ConvAttrs, depthwise: boolean) {
  const info = tf.backend_util.computeConv2DInfo(xShape as Shape4, filterShape, attrs.strides,
    attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, depthwise, 'channelsLast');
  return {
    filterShape,
    strides: [info.strideHeight, info.strideWidth] as [number, number],
    dilations: [info.dilationHeight, info.dilationWidth] as [number, number],
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

function checkLayout(kernel: string, attrs: ConvAttrs): void {
  if (attrs.dataFormat === 'NCHW') throw new UnsupportedLayoutError(kernel, attrs.dataFormat);
}

export function conv2DBackpropFilter(args: KernelArgs): Info {
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: Shape4 };
  checkLayout('Conv2DBackpropFilter', attrs);
  const g = geometry(x.shape, attrs.filterShape, { ...attrs, dilations: 1 }, false);
  return withScope(args.backend as BackendWasm, (s) => conv2dFilterGradient(s, x, dy, g));
}

export function conv2DBackpropInput(args: KernelArgs): Info {
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: Shape4 };
  if (attrs.dataFormat === 'NCHW') {
    return stockKernel('Conv2DBackpropInput').kernelFunc(args as Parameters<tf.KernelFunc>[0]) as Info;
  }
  const g = geometry(attrs.inputShape, filter.shape as Shape4, { ...attrs, dilations: 1 }, false);
  return withScope(args.backend as BackendWasm,
    (s) => inputGradient(s, 'Conv2D', dy, filter, { ...g, inShape: attrs.inputShape }));
}

export function depthwiseBackpropFilter(args: KernelArgs): Info {
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: Shape4 };
  const g = geometry(x.shape, attrs.filterShape, attrs, true);
  return withScope(args.backend as BackendWasm, (s) => depthwiseFilterGradient(s, x, dy, g));
}

export function depthwiseBackpropInput(args: KernelArgs): Info {
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: Shape4 };
  const g = geometry(attrs.inputShape, filter.shape as Shape4, attrs, true);
  return withScope(args.backend as BackendWasm, (s) =>
    inputGradient(s, 'DepthwiseConv2dNative', dy, filter, { ...g, inShape: attrs.inputShape }));
}
