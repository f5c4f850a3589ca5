import { tf } from '../../tf.js';
import type { TorchAddon } from './addon.js';
import { ADD_RELU, RELU_GRAD, addReluKernel, reluGradKernel } from './add_relu_kernels.js';
import { BATCH_NORM_GRAD, BATCH_NORM_TRAIN, batchNormGradKernel, batchNormTrainKernel } from './batch_norm_kernels.js';
import { forwardKernel, gradientKernel } from './conv_kernels.js';
import type { KernelArgs } from './heap.js';
import { batchMatMulKernel } from './mat_mul_kernel.js';
import { maxPoolGradKernel, maxPoolKernel } from './pool_kernels.js';

type Fallback = (args: KernelArgs) => tf.TensorInfo;
type Factory = (addon: TorchAddon, fallback: Fallback) => tf.KernelFunc;

// Kernels libtorch serves on top of the wasm host backend; each falls back to the kernel it
// replaced for what it does not cover (NCHW, int dtypes, channel multipliers > 1, ...).
const OVERLAID: ReadonlyMap<string, Factory> = new Map<string, Factory>([
  ['Conv2D', (a, f) => forwardKernel(a, false, f) as unknown as tf.KernelFunc],
  ['FusedConv2D', (a, f) => forwardKernel(a, false, f) as unknown as tf.KernelFunc],
  ['DepthwiseConv2dNative', (a, f) => forwardKernel(a, true, f) as unknown as tf.KernelFunc],
  ['FusedDepthwiseConv2D', (a, f) => forwardKernel(a, true, f) as unknown as tf.KernelFunc],
  ['Conv2DBackpropInput', (a, f) => gradientKernel(a, 'input', false, f) as unknown as tf.KernelFunc],
  ['DepthwiseConv2dNativeBackpropInput', (a, f) => gradientKernel(a, 'input', true, f) as unknown as tf.KernelFunc],
  ['Conv2DBackpropFilter', (a, f) => gradientKernel(a, 'filter', false, f) as unknown as tf.KernelFunc],
  ['DepthwiseConv2dNativeBackpropFilter', (a, f) => gradientKernel(a, 'filter', true, f) as unknown as tf.KernelFunc],
  ['BatchMatMul', (a, f) => batchMatMulKernel(a, f) as unknown as tf.KernelFunc],
  ['MaxPool', (a, f) => maxPoolKernel(a, f) as unknown as tf.KernelFunc],
  ['MaxPoolGrad', (a, f) => maxPoolGradKernel(a, f) as unknown as tf.KernelFunc],
]);

const ADDED: ReadonlyMap<string, (addon: TorchAddon) => tf.KernelFunc> = new Map([
  [BATCH_NORM_TRAIN, (a: TorchAddon) => batchNormTrainKernel(a) as unknown as tf.KernelFunc],
  [BATCH_NORM_GRAD, (a: TorchAddon) => batchNormGradKernel(a) as unknown as tf.KernelFunc],
  [ADD_RELU, (a: TorchAddon) => addReluKernel(a) as unknown as tf.KernelFunc],
  [RELU_GRAD, (a: TorchAddon) => reluGradKernel(a) as unknown as tf.KernelFunc],
]);

/** The wasm kernels the overlay replaced, to put back. */
const replaced = new Map<string, tf.KernelConfig>();
const ours = new Set<tf.KernelFunc>();

/** Serves the hot-path kernels of the wasm backend from libtorch. Safe to call twice. */
export function registerTorchKernels(addon: TorchAddon): void {
  if (replaced.size > 0 || activeTorchKernels().length > 0) return;
  for (const [kernelName, factory] of OVERLAID) {
    const previous = tf.getKernel(kernelName, 'wasm');
    if (previous === undefined) continue;
    replaced.set(kernelName, previous);
    tf.unregisterKernel(kernelName, 'wasm');
    const kernelFunc = factory(addon, previous.kernelFunc as unknown as Fallback);
    ours.add(kernelFunc);
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc, setupFunc: previous.setupFunc });
  }
  for (const [kernelName, factory] of ADDED) {
    const kernelFunc = factory(addon);
    ours.add(kernelFunc);
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
}

/** Back to the plain wasm engine: the replaced kernels return, the added ones go. */
export function removeTorchKernels(): void {
  for (const [kernelName, previous] of replaced) {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(previous);
  }
  replaced.clear();
  for (const kernelName of ADDED.keys()) {
    if (tf.getKernel(kernelName, 'wasm') !== undefined) tf.unregisterKernel(kernelName, 'wasm');
  }
  ours.clear();
}

/** Names of the wasm kernels currently served by libtorch. */
export function activeTorchKernels(): string[] {
  return [...OVERLAID.keys(), ...ADDED.keys()].filter((k) => {
    const config = tf.getKernel(k, 'wasm');
    return config !== undefined && ours.has(config.kernelFunc);
  });
}
