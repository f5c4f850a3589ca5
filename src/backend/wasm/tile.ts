import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';

type TypedArray = Float32Array | Int32Array | Uint8Array;

/**
 * Tile as block copies on the wasm heap: each level copies its blocks once, then doubles them
 * with copyWithin. The stock kernel walks every output element and costs about 100 ms for the
 * [1,1,1,C] -> [N,H,W,C] tiles that the batch-norm gradient makes.
 */
export function tileKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown;
    attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs.x as tf.TensorInfo;
  const reps = (args.attrs as unknown as tf.TileAttrs).reps;
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  const src = backend.typedArrayFromHeap(x) as TypedArray;
  const dst = backend.typedArrayFromHeap(out) as TypedArray;
  if (x.shape.length === 0) {
    dst.set(src);
    return out;
  }
  tileInto(src, x.shape, reps, dst);
  return out;
}

export function tileInto(src: TypedArray, shape: number[], reps: number[], dst: TypedArray): void {
  const rank = shape.length;
  const srcStrides = stridesOf(shape);
  const dstStrides = stridesOf(shape.map((d, i) => d * reps[i]));
  const fill = (level: number, from: number, to: number): void => {
    const d = shape[level];
    if (level === rank - 1) {
      dst.set(src.subarray(from, from + d), to);
    } else {
      for (let i = 0; i < d; i++) fill(level + 1, from + i * srcStrides[level], to + i * dstStrides[level]);
    }
    const block = d * dstStrides[level];
    const total = block * reps[level];
    for (let done = block; done < total;) {
      const n = Math.min(done, total - done);
      dst.copyWithin(to + done, to, to + n);
      done += n;
    }
  };
  fill(0, 0, 0);
}

function stridesOf(shape: number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}
