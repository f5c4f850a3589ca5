import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { tf } from '../../tf.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

/** Custom kernel: one SGD update of one parameter (PyTorch semantics), in one pass. */
export const SGD_STEP = 'TfrazorSgdStep';

export interface SgdStepAttrs {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
}

/**
 * {param, grad, buf?} -> [param', buf'] (buf' only with momentum; no buf = the first step, where
 * the buffer starts at the gradient). Each operation rounds to float32 as the composition of
 * mul/add/sub kernels does, so the result is bit-identical to it; one kernel instead of eight
 * per parameter removes about half the kernel launches of a small network's training step.
 */
export function sgdStepKernel(args: Args): tf.TensorInfo[] {
  const { param, grad, buf } = args.inputs as { param: tf.TensorInfo; grad: tf.TensorInfo; buf?: tf.TensorInfo };
  const a = args.attrs as unknown as SgdStepAttrs;
  const backend = args.backend as BackendWasm;
  const outParam = backend.makeOutput(param.shape, 'float32');
  const outBuf = a.momentum !== 0 ? backend.makeOutput(param.shape, 'float32') : undefined;
  const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const p = view(param);
  const g = view(grad);
  const b = buf === undefined ? null : view(buf);
  const np = view(outParam);
  const nb = outBuf === undefined ? null : view(outBuf);
  const f = Math.fround;
  const [lr, mom, keep, wd] = [f(a.lr), f(a.momentum), f(1 - a.dampening), f(a.weightDecay)];
  for (let i = 0; i < p.length; i++) {
    let d = g[i]!;
    if (wd !== 0) d = f(d + f(p[i]! * wd));
    if (nb !== null) {
      const m = b === null ? d : f(f(b[i]! * mom) + (a.dampening === 0 ? d : f(d * keep)));
      nb[i] = m;
      d = a.nesterov ? f(d + f(m * mom)) : m;
    }
    np[i] = f(p[i]! - f(d * lr));
  }
  return outBuf === undefined ? [outParam] : [outParam, outBuf];
}
