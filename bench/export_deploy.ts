// Accuracy, size and batch-1 latency of an exported subnet in each deployment format: tfrazor's
// FixedNet, ONNX fp32 and int8 in onnxruntime-node, and the TF.js LayersModel. Usage:
//   npx tsx bench/export_deploy.ts CONFIG CHECKPOINT SUBNET.yaml OUT_DIR [--name N] [--json FILE]
// Exports with tools/export_subnet.ts --format all --int8, then evaluates on the config's test set.
import 'reflect-metadata';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { tf } from '../src/tf.js';
import { initBackend } from '../src/backend/index.js';
import { main as exportMain } from '../tools/export_subnet.js';
import { loadArchitecture, loaderFor } from '../src/evaluation/setup.js';
import { fileIOHandler } from '../src/evaluation/export/file_io_handler.js';
import { loadOnnxRuntime, onnxLogits, type OrtModule, type OrtSession } from '../src/evaluation/export/onnx/runtime.js';
import { median } from '../src/evaluation/latency/ort_timer.js';
import type { Batch } from '../src/datasets/types.js';

const [config, checkpoint, subnet, outDir, ...rest] = process.argv.slice(2);
if (!config || !checkpoint || !subnet || !outDir) throw new Error('Usage: export_deploy.ts CONFIG CHECKPOINT SUBNET.yaml OUT_DIR [--name N] [--json FILE] [--extra-export-args ...]');
const opt = (k: string) => (rest.includes(k) ? rest[rest.indexOf(k) + 1] : undefined);
const name = opt('--name') ?? subnet;
const jsonOut = opt('--json');

// The default engine (torch where built): stock wasm's Conv2D crashed here (memory access out of bounds) midway through the test set.
await initBackend(undefined, (m) => process.stderr.write(`${m}\n`));
const rt = await loadOnnxRuntime();
if (!rt.ok) throw new Error(rt.reason);
const ort: OrtModule = rt.ort;

const log: string[] = [];
await exportMain([config, checkpoint, '--subnet', subnet, '--format', 'all', '--int8', '--tfjs-uint8', '--out', outDir], { write: (t: string) => log.push(t) });
process.stdout.write(log.join(''));

const exported = parse(readFileSync(join(outDir, 'config.yaml'), 'utf8')) as Record<string, unknown>;
const fixed = loadArchitecture(exported, join(outDir, 'subnet.ckpt'));
fixed.eval();
const layers = await tf.loadLayersModel(fileIOHandler(join(outDir, 'tfjs')));
const layersUint8 = await tf.loadLayersModel(fileIOHandler(join(outDir, 'tfjs_uint8')));
const sessions: Record<string, OrtSession> = {
  onnx_fp32: await ort.InferenceSession.create(join(outDir, 'subnet.onnx'), { intraOpNumThreads: 1 }),
  onnx_int8: await ort.InferenceSession.create(join(outDir, 'subnet_int8.onnx'), { intraOpNumThreads: 1 }),
};
const loader = loaderFor(exported, 'test_dataloader');
const correct: Record<string, number> = { tfrazor: 0, tfjs: 0, tfjs_uint8: 0, onnx_fp32: 0, onnx_int8: 0 };
let maxFp32Diff = 0;
let n = 0;
const argmaxHits = async (logits: tf.Tensor2D, labels: tf.Tensor1D) => {
  const am = tf.argMax(logits, 1);
  const p = await am.data();
  am.dispose();
  const l = await labels.data();
  let c = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === l[i]) c++;
  return c;
};
for await (const b of loader as AsyncIterable<Batch>) {
  const ref = tf.tidy(() => fixed.forward(b.images) as tf.Tensor2D);
  correct.tfrazor! += await argmaxHits(ref, b.labels);
  const lm = tf.tidy(() => layers.predict(b.images) as tf.Tensor2D);
  correct.tfjs! += await argmaxHits(lm, b.labels);
  const lq = tf.tidy(() => layersUint8.predict(b.images) as tf.Tensor2D);
  correct.tfjs_uint8! += await argmaxHits(lq, b.labels);
  lq.dispose();
  for (const [k, s] of Object.entries(sessions)) {
    const y = await onnxLogits(ort, s, b.images);
    correct[k]! += await argmaxHits(y, b.labels);
    if (k === 'onnx_fp32') maxFp32Diff = Math.max(maxFp32Diff, tf.tidy(() => tf.max(tf.abs(tf.sub(y, ref))).dataSync()[0]!));
    y.dispose();
  }
  n += b.labels.shape[0];
  tf.dispose([ref, lm, b.images, b.labels]);
  if (n % 2000 === 0) process.stderr.write(`${n} test images, ${tf.memory().numTensors} tensors\n`);
}
await loader.close();

/** Batch-1 median ms over 3 passes of 300 runs (after 50 warm-up runs). */
async function latency(s: OrtSession): Promise<number> {
  const [h, w, c] = (exported.model as { architecture: { input_shape: number[] } }).architecture.input_shape as [number, number, number];
  const x = new ort.Tensor('float32', Float32Array.from({ length: c * h * w }, (_, i) => Math.sin(i)), [1, c, h, w]);
  for (let i = 0; i < 50; i++) await s.run({ input: x });
  const passes: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = process.hrtime.bigint();
      await s.run({ input: x });
      t.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    passes.push(median(t));
  }
  return median(passes);
}
const size = (p: string) => statSync(join(outDir, p)).size;
const dirSize = (d: string) => readdirSync(join(outDir, d)).reduce((a, f) => a + size(join(d, f)), 0);
const result = {
  name, config, checkpoint, subnet, test_samples: n,
  top1: Object.fromEntries(Object.entries(correct).map(([k, v]) => [k, v / n])),
  onnx_fp32_max_logit_diff_vs_tfrazor: maxFp32Diff,
  bytes: { 'subnet.onnx': size('subnet.onnx'), 'subnet_int8.onnx': size('subnet_int8.onnx'), 'subnet.safetensors': size('subnet.safetensors'), tfjs: dirSize('tfjs'), tfjs_uint8: dirSize('tfjs_uint8') },
  onnx_batch1_ms: { fp32: await latency(sessions.onnx_fp32!), int8: await latency(sessions.onnx_int8!), threads: 1 },
  note: 'latency: medians of 3 x 300 runs on a 2-core machine shared with training jobs',
};
process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
if (jsonOut) {
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(jsonOut, 'utf8'));
  } catch {
    // first entry
  }
  all[name] = result;
  writeFileSync(jsonOut, `${JSON.stringify(all, null, 1)}\n`);
}
