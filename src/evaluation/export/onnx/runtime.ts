import { tf, type Tensor4D } from '../../../tf.js';
import { ONNX_INPUT, ONNX_OUTPUT } from './onnx_model.js';

/** The part of onnxruntime-node's API used here (it is an optional, separately installed package). */
export interface OrtTensor {
  readonly data: Float32Array | ArrayLike<number>;
  readonly dims: readonly number[];
}
export interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
export interface OrtModule {
  InferenceSession: { create(model: string | Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => OrtTensor;
}

/** How to add the runtime, for messages where it is missing. */
export const ORT_INSTALL_HINT = 'ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save onnxruntime-node@1.30.0';

let cached: Promise<{ ok: true; ort: OrtModule } | { ok: false; reason: string }> | undefined;

/** onnxruntime-node if it is installed (an opt-in, see docs/export.md), else why not. */
export function loadOnnxRuntime(): Promise<{ ok: true; ort: OrtModule } | { ok: false; reason: string }> {
  const name = 'onnxruntime-node';
  cached ??= import(name).then(
    (m: { default?: OrtModule } & OrtModule) => ({ ok: true as const, ort: (m.InferenceSession ? m : m.default!) as OrtModule }),
    (e: Error) => ({ ok: false as const, reason: `onnxruntime-node is not installed (${e.message.split('\n')[0]}); add it with: ${ORT_INSTALL_HINT}` }),
  );
  return cached;
}

/** Run an ONNX classifier on NHWC images (transposed to the model's NCHW); logits [N, classes]. */
export async function onnxLogits(ort: OrtModule, session: OrtSession, x: Tensor4D): Promise<tf.Tensor2D> {
  const [n, h, w, c] = x.shape;
  const nchw = tf.tidy(() => tf.transpose(x, [0, 3, 1, 2]));
  const data = new Float32Array(await nchw.data());
  nchw.dispose();
  const res = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', data, [n, c, h, w]) });
  const y = res[ONNX_OUTPUT]!;
  return tf.tensor2d(Float32Array.from(y.data as ArrayLike<number>), [y.dims[0]!, y.dims[1]!]);
}

/** Top-1 accuracy of an ONNX classifier on batches of NHWC images and integer labels. */
export async function onnxAccuracy(ort: OrtModule, session: OrtSession, batches: readonly { images: Tensor4D; labels: tf.Tensor1D }[]): Promise<{ top1: number; samples: number }> {
  let correct = 0;
  let samples = 0;
  for (const b of batches) {
    const logits = await onnxLogits(ort, session, b.images);
    const pred = tf.tidy(() => tf.argMax(logits, 1));
    const p = await pred.data();
    const l = await b.labels.data();
    for (let i = 0; i < p.length; i++) if (p[i] === l[i]) correct++;
    samples += p.length;
    tf.dispose([logits, pred]);
  }
  return { top1: samples > 0 ? correct / samples : 0, samples };
}
