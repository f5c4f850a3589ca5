// Export one subnet of a trained supernet as a stand-alone network: config.yaml (model =
// ImageClassifier over a FixedNet), subnet.ckpt (sliced weights), subnet.yaml, and tfjs/ (a TF.js
// LayersModel: model.json + weights.bin). Usage:
//   npx tsx tools/export_subnet.ts CONFIG CHECKPOINT (--arch CODE | --subnet YAML | --max | --min) --out DIR
//     [--format tfjs|onnx|all] [--int8] [--supernet-safetensors] [--calib-samples N] [--no-tfjs]
//     [--backend B] [--cfg-options k=v ...] [--debug]
import 'reflect-metadata';
import { realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseToolArgs, UsageError } from '../src/cli/args.js';
import { SUBNET_OPTIONS } from '../src/cli/subnet_options.js';
import { prepareOutputDir } from '../src/cli/outputs.js';
import { loadConfig } from '../src/cli/load_config.js';
import { runCli } from '../src/cli/run.js';
import { initBackend } from '../src/backend/index.js';
import { createServices } from '../src/services/container.js';
import { calibrateBatchNorm } from '../src/evaluation/calibrate_bn.js';
import { disposeBatches, preloadBatches } from '../src/evaluation/batches.js';
import { exportSubnet } from '../src/evaluation/export/export_subnet.js';
import { loadOnnxRuntime, onnxLogits } from '../src/evaluation/export/onnx/runtime.js';
import { tf } from '../src/tf.js';
import type { Supernet } from '../src/models/types.js';
import { loadArchitecture, loaderForModel, requireSupernetFor, sampleCountsOf, subnetArgsOf, subnetFromArgs, EvaluationSetupError } from '../src/evaluation/setup.js';

const USAGE =
  'Usage: export_subnet.ts CONFIG CHECKPOINT (--arch CODE | --subnet YAML | --max | --min) --out DIR ' +
  '[--format tfjs|onnx|all] [--int8] [--tfjs-uint8] [--supernet-safetensors] [--calib-samples N] [--no-tfjs] [--backend tensorflow|torch|wasm|cpu] [--cfg-options key.path=value ...] [--debug]';
const FORMATS = ['tfjs', 'onnx', 'all'];

interface Output {
  write(text: string): unknown;
}

export async function main(argv: string[], stdout: Output = process.stdout): Promise<number> {
  const args = parseToolArgs(argv, {
    ...SUBNET_OPTIONS,
    out: { type: 'string', value: 'DIR', description: 'Folder to write config.yaml, subnet.ckpt, subnet.yaml, subnet.safetensors and tfjs/ or subnet.onnx into (required).' },
    'no-tfjs': { type: 'boolean', description: 'Skip the TF.js LayersModel (tfjs/model.json + weights.bin).' },
    format: { type: 'string', value: 'tfjs|onnx|all', description: 'tfjs (default): TF.js LayersModel; onnx: subnet.onnx with BN merged (no TF.js); all: both. subnet.safetensors is always written.' },
    int8: { type: 'boolean', description: 'Also write subnet_int8.onnx: static int8 QDQ, activation ranges from the calibration images (implies ONNX).' },
    'tfjs-uint8': { type: 'boolean', description: 'Also write tfjs_uint8/: the TF.js model with uint8-quantized weights (about 4x smaller).' },
    'supernet-safetensors': { type: 'boolean', description: "Also write supernet.safetensors: every supernet weight under PyTorch names and layouts." },
  }, {
    tool: 'export_subnet',
    usage: 'CONFIG CHECKPOINT (--arch CODE | --subnet FILE.yaml | --max | --min) --out DIR [options]',
    summary: 'Export one subnet of a trained supernet as a stand-alone network with BN re-calibrated: config.yaml, subnet.ckpt, subnet.yaml and a TF.js LayersModel.',
    arguments: { CONFIG: 'The YAML config the checkpoint was trained with.', CHECKPOINT: 'A .ckpt file, or a work dir (its latest checkpoint).' },
    examples: ['configs/mnist/resnet_mini_bignas.yaml work_dirs/resnet_mini_bignas --subnet work_dirs/resnet_mini_bignas/search/best_subnet.yaml --out exported/'],
  });
  const out = args.values.out as string | undefined;
  if (args.positionals.length !== 2 || !out) throw new UsageError(USAGE);
  const [configPath, checkpointPath] = args.positionals as [string, string];
  const sel = subnetArgsOf(args.values);
  if (sel.arch === undefined && sel.subnet === undefined && !sel.max && !sel.min) {
    throw new UsageError(`Name the subnet to export with --arch, --subnet, --max or --min.\n${USAGE}`);
  }
  const format = (args.values.format as string | undefined) ?? 'tfjs';
  if (!FORMATS.includes(format)) throw new UsageError(`--format is '${format}'; expected one of ${FORMATS.join(', ')}.\n${USAGE}`);
  const int8 = args.values.int8 === true;
  const onnx = format !== 'tfjs' || int8;
  const { config } = await loadConfig(configPath, args.cfgOptions);
  const outDir = prepareOutputDir(out, '--out', 'config.yaml, subnet.ckpt, subnet.yaml and tfjs/');
  const { logger } = createServices({ logLevel: args.debug ? 'debug' : 'info' });
  await initBackend(args.backend, (msg) => logger.info(msg), { threads: args.threads });
  const { calibSamples } = sampleCountsOf(args.values, config);

  const arch = loadArchitecture(config, checkpointPath);
  try {
    const supernet = requireSupernetFor(arch, sel);
    if (!supernet) throw new EvaluationSetupError('export_subnet needs a supernet config; this network is already fixed.');
    const choices = subnetFromArgs(sel, supernet, config);
    if (!choices) throw new UsageError(`Name the subnet to export with --arch, --subnet, --max or --min.\n${USAGE}`);
    supernet.mutator.set(choices);
    // int8 ranges come from the same train images as BN calibration (256 when that is off).
    const needed = Math.max(calibSamples, int8 ? 256 : 0);
    const loader = needed > 0 ? loaderForModel(supernet, config, 'train_dataloader') : undefined;
    const batches = loader ? await preloadBatches(loader, Math.min(needed, loader.numSamples)) : [];
    let res;
    try {
      if (calibSamples > 0) {
        const s = await calibrateBatchNorm(supernet, batches);
        logger.info(`BN statistics of the subnet calibrated on ${s.numSamples} train images before slicing.`);
      }
      supernet.eval();
      res = await exportSubnet({
        supernet, choices: supernet.mutator.current(), outDir, config,
        skipLayersModel: args.values['no-tfjs'] === true || format === 'onnx',
        onnx, int8Calibration: int8 ? batches.map((b) => b.images) : undefined,
        supernetSafetensors: args.values['supernet-safetensors'] === true,
        layersModelUint8: args.values['tfjs-uint8'] === true,
      });
      if (res.onnxPath && batches[0]) await checkOnnx(res.onnxPath, supernet, batches[0].images, (m) => logger.info(m));
    } finally {
      disposeBatches(batches);
      await loader?.close();
    }
    stdout.write(
      `exported subnet (${(res.complexity.macs / 1e6).toFixed(2)} M MACs, ${(res.complexity.params / 1e6).toFixed(3)} M params, ${res.graph.nodes.length} ops):\n` +
        `  config:     ${res.configPath}\n  weights:    ${res.checkpointPath}\n  subnet:     ${res.subnetPath}\n` +
        (res.layersModelDir ? `  TF.js:      ${res.layersModelDir}/model.json\n` : '') +
        (res.layersModelUint8Dir ? `  TF.js uint8: ${res.layersModelUint8Dir}/model.json (weights ${kib(join(res.layersModelUint8Dir, 'weights.bin'))})\n` : '') +
        `  PyTorch:    ${res.safetensorsPath} (${kib(res.safetensorsPath)})\n` +
        (res.supernetSafetensorsPath ? `  supernet:   ${res.supernetSafetensorsPath} (${kib(res.supernetSafetensorsPath)})\n` : '') +
        (res.onnxPath ? `  ONNX:       ${res.onnxPath} (${kib(res.onnxPath)})\n` : '') +
        (res.int8OnnxPath ? `  ONNX int8:  ${res.int8OnnxPath} (${kib(res.int8OnnxPath)}, calibrated on ${res.quant!.calibrationSamples} train images)\n` : '') +
        `evaluate: npx tsx tools/test.ts ${res.configPath} ${res.checkpointPath}\n`,
    );
  } finally {
    arch.dispose();
  }
  return 0;
}

const kib = (path: string): string => `${(statSync(path).size / 1024).toFixed(1)} KiB`;

/** Where onnxruntime-node is installed: the exported model's logits against tfrazor's on a few images. */
async function checkOnnx(path: string, supernet: Supernet, images: tf.Tensor4D, log: (msg: string) => void): Promise<void> {
  const rt = await loadOnnxRuntime();
  if (!rt.ok) {
    log(`ONNX model not checked: ${rt.reason}`);
    return;
  }
  const x = tf.slice(images, 0, Math.min(16, images.shape[0]));
  const want = supernet.forward(x);
  const got = await onnxLogits(rt.ort, await rt.ort.InferenceSession.create(path), x);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!);
  tf.dispose([x, want, got]);
  log(`ONNX model checked in onnxruntime-node: logits within ${diff.toExponential(2)} of tfrazor's on ${x.shape[0]} train images.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
