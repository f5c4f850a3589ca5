import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { tf } from '../../tf.js';
import { stockKernel } from './stock_kernels.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

// The engine clones every tensor it saves for a gradient through Identity, and stock wasm copies
// the buffer each time (~180 activation-sized copies per training step of a small ResNet). No tfjs
// kernel writes into its inputs, so a clone can share the buffer by reference count, as Reshape
// already does on wasm and Identity does on the cpu backend.
function share(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export function identityKernel(args: Args): tf.TensorInfo {
  const x = (args.inputs as { x: tf.TensorInfo }).x;
  if (x.dtype === 'string') return stockKernel('Identity').kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  return share(args.backend as BackendWasm, x);
}

/** Cast to the dtype a tensor already has (relu's gradient casts its float step to float) shares it. */
export function castKernel(args: Args): tf.TensorInfo {
  const x = (args.inputs as { x: tf.TensorInfo }).x;
  const dtype = (args.attrs as { dtype: string }).dtype;
  if (x.dtype !== dtype || x.dtype === 'string') {
    return stockKernel('Cast').kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  return share(args.backend as BackendWasm, x);
}
