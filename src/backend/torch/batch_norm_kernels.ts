import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { tf } from '../../tf.js';
import type { TorchAddon } from './addon.js';
import { isFloat, withHeapViews, type KernelArgs } from './heap.js';

type Info = tf.TensorInfo;

/** Activations a batch-norm kernel can apply to its output (codes of the native addon). */
export const BATCH_NORM_ACTIVATIONS = { linear: 0, relu: 1, relu6: 2 } as const;
export type BatchNormActivation = keyof typeof BATCH_NORM_ACTIVATIONS;

interface BatchNormAttrs { varianceEpsilon: number; activation?: BatchNormActivation }

function activationCode(kernel: string, attrs: BatchNormAttrs): number {
  const code = BATCH_NORM_ACTIVATIONS[attrs.activation ?? 'linear'];
  if (code === undefined) throw new NativeKernelInputError(kernel, `unknown activation '${attrs.activation}'`);
  return code;
}

/** Custom kernel names: train-mode batch norm and its backward pass, one native call each. */
export const BATCH_NORM_TRAIN = 'TfrazorBatchNormTrain';
export const BATCH_NORM_GRAD = 'TfrazorBatchNormGrad';

export class NativeKernelInputError extends Error {
  constructor(kernel: string, detail: string) {
    super(`${kernel}: ${detail}`);
    this.name = 'NativeKernelInputError';
  }
}

function checkInputs(kernel: string, x: Info, ...perChannel: (Info | undefined)[]): number {
  const c = x.shape[3];
  if (x.shape.length !== 4) throw new NativeKernelInputError(kernel, `expects NHWC input, got shape [${x.shape}]`);
  for (const t of perChannel) {
    if (t !== undefined && (t.shape.length !== 1 || t.shape[0] !== c)) {
      throw new NativeKernelInputError(kernel, `expects per-channel [${c}] vectors, got [${t.shape}]`);
    }
  }
  if (!isFloat(x, ...perChannel)) throw new NativeKernelInputError(kernel, 'expects float32 tensors');
  return c;
}

/** {x, gamma?, beta?}, {varianceEpsilon, activation?} -> [act(y), batch mean, biased batch variance]. */
export function batchNormTrainKernel(addon: TorchAddon) {
  return (args: KernelArgs): Info[] => {
    const { x, gamma, beta } = args.inputs as { x: Info; gamma?: Info; beta?: Info };
    const attrs = args.attrs as unknown as BatchNormAttrs;
    const act = activationCode(BATCH_NORM_TRAIN, attrs);
    const c = checkInputs(BATCH_NORM_TRAIN, x, gamma, beta);
    return withHeapViews(args.backend as BackendWasm, [x, gamma, beta], [x.shape, [c], [c]],
      ([xv, gv, bv], [y, mean, variance]) => {
        addon.batchNormTrain(xv!, x.shape, gv, bv, [c], attrs.varianceEpsilon, act, y, mean, variance);
      });
  };
}

/**
 * {dy, x, gamma?, mean, variance, y?}, {varianceEpsilon, activation?} -> [dx, dgamma, dbeta];
 * y, the forward output, is needed when there is an activation.
 */
export function batchNormGradKernel(addon: TorchAddon) {
  return (args: KernelArgs): Info[] => {
    const { dy, x, gamma, mean, variance, y } = args.inputs as {
      dy: Info; x: Info; gamma?: Info; mean: Info; variance: Info; y?: Info;
    };
    const attrs = args.attrs as unknown as BatchNormAttrs;
    const act = activationCode(BATCH_NORM_GRAD, attrs);
    const c = checkInputs(BATCH_NORM_GRAD, x, gamma, mean, variance);
    if (dy.shape.join() !== x.shape.join()) throw new NativeKernelInputError(BATCH_NORM_GRAD, 'dy and x differ in shape');
    if (act !== 0 && (y === undefined || y.shape.join() !== x.shape.join())) {
      throw new NativeKernelInputError(BATCH_NORM_GRAD, `activation '${attrs.activation}' needs the forward output y of x's shape`);
    }
    return withHeapViews(args.backend as BackendWasm, [dy, x, gamma, mean, variance, y], [x.shape, [c], [c]],
      ([dyv, xv, gv, mv, vv, yv], [dx, dgamma, dbeta]) => {
        addon.batchNormBackward(dyv!, xv!, x.shape, gv, mv!, vv!, [c], attrs.varianceEpsilon, act, yv, dx, dgamma, dbeta);
      });
  };
}
