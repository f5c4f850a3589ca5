import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { tf } from '../../tf.js';

export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

/**
 * Allocates the outputs first, then takes heap views of inputs and outputs: an allocation can grow
 * the wasm memory and detach views taken before it. `run` gets views in (inputs, outputs) order;
 * absent inputs give null.
 */
export function withHeapViews(backend: BackendWasm, inputs: (tf.TensorInfo | undefined)[],
    outputShapes: number[][], run: (inViews: (Float32Array | null)[], outViews: Float32Array[]) => void): tf.TensorInfo[] {
  const outs = outputShapes.map((shape) => backend.makeOutput(shape, 'float32'));
  const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  try {
    const empty = outs.some((o) => o.shape.some((d) => d === 0)) || inputs.some((t) => t?.shape.some((d) => d === 0));
    if (!empty) run(inputs.map((t) => (t === undefined ? null : view(t))), outs.map(view));
  } catch (err) {
    for (const o of outs) backend.disposeData(o.dataId);
    throw err;
  }
  return outs;
}

export function isFloat(...ts: (tf.TensorInfo | undefined)[]): boolean {
  return ts.every((t) => t === undefined || t.dtype === 'float32');
}
