import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { tf } from '../../tf.js';
import type { TorchAddon } from './addon.js';
import { NativeKernelInputError } from './batch_norm_kernels.js';
import { isFloat, withHeapViews, type KernelArgs } from './heap.js';

type Info = tf.TensorInfo;

/** Custom kernel names: relu(a + b) of a residual join, and its gradient (dy where y > 0). */
export const ADD_RELU = 'TfrazorAddRelu';
export const RELU_GRAD = 'TfrazorReluGrad';

function checkPair(kernel: string, a: Info, b: Info): void {
  if (a.shape.join() !== b.shape.join() || !isFloat(a, b)) {
    throw new NativeKernelInputError(kernel, `expects two float32 tensors of one shape, got [${a.shape}] and [${b.shape}]`);
  }
}

/** {a, b} -> relu(a + b); a and b of one shape (no broadcasting). */
export function addReluKernel(addon: TorchAddon) {
  return (args: KernelArgs): Info => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    checkPair(ADD_RELU, a, b);
    return withHeapViews(args.backend as BackendWasm, [a, b], [a.shape], ([av, bv], [out]) => {
      addon.addRelu(av!, bv!, a.shape, out);
    })[0];
  };
}

/** {dy, y} -> dy where y > 0, else 0 (y: the relu's output). */
export function reluGradKernel(addon: TorchAddon) {
  return (args: KernelArgs): Info => {
    const { dy, y } = args.inputs as { dy: Info; y: Info };
    checkPair(RELU_GRAD, dy, y);
    return withHeapViews(args.backend as BackendWasm, [dy, y], [dy.shape], ([dyv, yv], [dx]) => {
      addon.reluGrad(dyv!, yv!, dy.shape, dx);
    })[0];
  };
}
