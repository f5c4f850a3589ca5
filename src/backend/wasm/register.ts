import { tf } from '../../tf.js';
import {
  conv2DBackpropFilter, conv2DBackpropInput, depthwiseBackpropFilter, depthwiseBackpropInput,
} from './conv_kernels.js';
import { batchMatMulKernel } from './batch_mat_mul.js';
import { fusedBatchNormKernel } from './batch_norm.js';
import { meanKernel, sumKernel } from './reduce.js';
import { stockConfigs } from './stock_kernels.js';
import { castKernel, identityKernel } from './shared_data.js';
import { SGD_STEP, sgdStepKernel } from './sgd_step.js';
import { tileKernel } from './tile.js';

/** Training kernels this package registers on the wasm backend, by kernel name. */
export const WASM_TRAINING_KERNELS: ReadonlyMap<string, tf.KernelFunc> = new Map([
  ['Conv2DBackpropFilter', conv2DBackpropFilter as unknown as tf.KernelFunc],
  ['Conv2DBackpropInput', conv2DBackpropInput as unknown as tf.KernelFunc],
  ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilter as unknown as tf.KernelFunc],
  ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInput as unknown as tf.KernelFunc],
  ['Tile', tileKernel as unknown as tf.KernelFunc],
  ['BatchMatMul', batchMatMulKernel as unknown as tf.KernelFunc],
  ['Sum', sumKernel as unknown as tf.KernelFunc],
  ['Mean', meanKernel as unknown as tf.KernelFunc],
  ['FusedBatchNorm', fusedBatchNormKernel as unknown as tf.KernelFunc],
  ['Identity', identityKernel as unknown as tf.KernelFunc],
  ['Cast', castKernel as unknown as tf.KernelFunc],
  [SGD_STEP, sgdStepKernel as unknown as tf.KernelFunc],
]);

function isOurs(config: tf.KernelConfig | undefined): boolean {
  return config !== undefined && WASM_TRAINING_KERNELS.get(config.kernelName) === config.kernelFunc;
}

/** Registers the training kernels on 'wasm' (replacing slow stock ones). Safe to call twice. */
export function registerWasmTrainingKernels(): void {
  for (const [kernelName, kernelFunc] of WASM_TRAINING_KERNELS) {
    const current = tf.getKernel(kernelName, 'wasm');
    if (isOurs(current)) continue;
    if (current !== undefined) {
      stockConfigs.set(kernelName, current);
      tf.unregisterKernel(kernelName, 'wasm');
    }
    // The stock setup binds its wasm function; replacements that delegate to it need it to have run
    // also when they are registered before the backend starts.
    const setupFunc = stockConfigs.get(kernelName)?.setupFunc;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc, setupFunc });
  }
}

/**
 * Puts the stock wasm kernels back where wasm has one. Kernels wasm lacks (the conv filter
 * gradients) stay registered, since without them a convnet cannot train on wasm at all.
 */
export function restoreStockWasmKernels(): void {
  const backend = tf.engine().registry.wasm as tf.KernelBackend | undefined;
  for (const [kernelName, stock] of stockConfigs) {
    if (!isOurs(tf.getKernel(kernelName, 'wasm'))) continue;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(stock);
    // A stock kernel registered after the backend started has not run its setup (its wasm binding).
    if (backend !== undefined) stock.setupFunc?.(backend);
  }
}

/** Names of the kernels currently served by this package's implementations. */
export function activeWasmTrainingKernels(): string[] {
  return [...WASM_TRAINING_KERNELS.keys()].filter((k) => isOurs(tf.getKernel(k, 'wasm')));
}
