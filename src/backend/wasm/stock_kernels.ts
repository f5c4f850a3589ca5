import { tf } from '../../tf.js';

// Stock wasm kernel configs that tfrazor replaced, by kernel name: kept to restore them, and so a
// replacement can delegate to the stock kernel it wraps.
export const stockConfigs = new Map<string, tf.KernelConfig>();

/** The stock wasm kernel for `kernelName`, even while a tfrazor replacement is registered. */
export function stockKernel(kernelName: string): tf.KernelConfig {
  const config = stockConfigs.get(kernelName) ?? tf.getKernel(kernelName, 'wasm');
  if (config === undefined) throw new Error(`wasm has no stock kernel '${kernelName}'`);
  return config;
}
