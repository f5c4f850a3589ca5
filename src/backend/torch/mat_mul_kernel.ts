import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { tf } from '../../tf.js';
import type { TorchAddon } from './addon.js';
import { isFloat, withHeapViews, type KernelArgs } from './heap.js';

type Info = tf.TensorInfo;

/** BatchMatMul of rank-3 float32 operands with equal batch sizes through libtorch's bmm. */
export function batchMatMulKernel(addon: TorchAddon, fallback: (args: KernelArgs) => Info) {
  return (args: KernelArgs): Info => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (a.shape.length !== 3 || b.shape.length !== 3 || a.shape[0] !== b.shape[0] || !isFloat(a, b)) {
      return fallback(args);
    }
    const m = transposeA ? a.shape[2] : a.shape[1];
    const n = transposeB ? b.shape[1] : b.shape[2];
    const outShape = [a.shape[0], m, n];
    return withHeapViews(args.backend as BackendWasm, [a, b], [outShape], ([av, bv], [out]) => {
      addon.batchMatMul(av!, a.shape, bv!, b.shape, transposeA, transposeB, out, outShape);
    })[0];
  };
}
