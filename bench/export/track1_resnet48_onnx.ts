// The ONNX export at the real Track-1 scale, which the tests cover only with tiny supernets: the
// ResNet48 supernet of a Track-1 config (224x224 input) with random weights and batch-norm
// statistics, subnets exported as the export tool does (slice, merge BN, ONNX opset 13) and run in
// onnxruntime-node against tfrazor's own forward of the same subnet. Prints, per subnet, MACs,
// params, the ONNX size, the largest logit difference and the logit range (no timings: see
// tools/analysis/latency_table.ts and bench/export_deploy.ts for those). Usage:
//   npx tsx bench/export/track1_resnet48_onnx.ts [CONFIG] [--codes N] [--json FILE]
// (default configs/track1/resnet48_bignas.yaml; max, min and the first N official codes, N = 2).
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tf } from '../../src/tf.js';
import { initBackend } from '../../src/backend/index.js';
import { loadConfig } from '../../src/cli/load_config.js';
import { findArchitectureConfig } from '../../src/models/complexity.js';
import { MODELS } from '../../src/registry/registries.js';
import type { Supernet } from '../../src/models/types.js';
import type { SubnetChoices } from '../../src/mutables/types.js';
import { extractSubnetGraph } from '../../src/evaluation/export/subnet_graph.js';
import { mergeBatchNorm } from '../../src/evaluation/export/deploy_graph.js';
import { buildOnnxModel } from '../../src/evaluation/export/onnx/onnx_model.js';
import { loadOnnxRuntime, onnxLogits } from '../../src/evaluation/export/onnx/runtime.js';
import { codeSpaceOfConfig } from '../../src/track1/supernet_code_space.js';
import { randomizeBatchNorm } from '../../test/evaluation/export_fixtures.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { codes: { type: 'string', default: '2' }, json: { type: 'string' } } });
const configPath = positionals[0] ?? 'configs/track1/resnet48_bignas.yaml';
await initBackend(undefined, (m) => process.stderr.write(`${m}\n`));
const rt = await loadOnnxRuntime();
if (!rt.ok) throw new Error(`${rt.reason} (this check needs onnxruntime-node)`);

const { config } = await loadConfig(configPath);
const archCfg = findArchitectureConfig(config, configPath);
const net = MODELS.build<Supernet>(archCfg);
// Non-trivial BN statistics (the export tests' own), so a wrong merge or slice of them would show.
randomizeBatchNorm(net, 48);
net.eval();

const space = codeSpaceOfConfig(config);
const official = JSON.parse(readFileSync('data/track1/CVPR_2022_NAS_Track1_test.json', 'utf8')) as Record<string, { arch: string }>;
const subnets: [string, SubnetChoices][] = [['max', net.mutator.setMax()], ['min', net.mutator.setMin()],
  ...Object.entries(official).slice(0, Number(values.codes)).map(([k, v]) => [`${k} (${v.arch})`, space.decode(v.arch)] as [string, SubnetChoices])];
const size = (archCfg as { input_size?: number }).input_size ?? 224;
const x = tf.randomNormal([2, size, size, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
const rows: Record<string, unknown>[] = [];
for (const [name, choices] of subnets) {
  net.mutator.set(choices);
  const c = net.complexity(choices);
  const want = net.forward(x);
  const { graph, weights } = extractSubnetGraph(net);
  const deploy = mergeBatchNorm(graph, weights);
  tf.dispose(Object.values(weights));
  const bytes = buildOnnxModel(deploy);
  const session = await rt.ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const got = await onnxLogits(rt.ort, session, x);
  const maxDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!);
  const range = tf.tidy(() => tf.sub(tf.max(want), tf.min(want)).dataSync()[0]!);
  const row = { subnet: name, macs: c.macs, params: c.params, onnx_mb: Number((bytes.length / 2 ** 20).toFixed(1)), max_abs_diff: maxDiff, logit_range: range, relative_diff: maxDiff / range };
  rows.push(row);
  console.log(JSON.stringify(row));
  await session.release?.();
  tf.dispose([want, got]);
}
if (values.json) writeFileSync(values.json, `${JSON.stringify({ config: configPath, input: [2, size, size, 3], date: new Date().toISOString(), rows }, null, 2)}\n`);
