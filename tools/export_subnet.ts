// Export one subnet of a trained supernet as a stand-alone network: config.yaml (model =
// ImageClassifier over a FixedNet), subnet.ckpt (sliced weights), subnet.yaml, and tfjs/ (a TF.js
// LayersModel: model.json + weights.bin). Usage:
//   npx tsx tools/export_subnet.ts CONFIG CHECKPOINT (--arch CODE | --subnet YAML | --max | --min) --out DIR
//     [--calib-samples N] [--no-tfjs] [--backend B] [--cfg-options k=v ...] [--debug]
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
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
import { loadArchitecture, loaderForModel, requireSupernetFor, sampleCountsOf, subnetArgsOf, subnetFromArgs, EvaluationSetupError } from '../src/evaluation/setup.js';

const USAGE =
  'Usage: export_subnet.ts CONFIG CHECKPOINT (--arch CODE | --subnet YAML | --max | --min) --out DIR ' +
  '[--calib-samples N] [--no-tfjs] [--backend tensorflow|wasm|cpu] [--cfg-options key.path=value ...] [--debug]';

interface Output {
  write(text: string): unknown;
}

export async function main(argv: string[], stdout: Output = process.stdout): Promise<number> {
  const args = parseToolArgs(argv, {
    ...SUBNET_OPTIONS,
    out: { type: 'string', value: 'DIR', description: 'Folder to write config.yaml, subnet.ckpt, subnet.yaml and tfjs/ into (required).' },
    'no-tfjs': { type: 'boolean', description: 'Skip the TF.js LayersModel (tfjs/model.json + weights.bin).' },
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
    if (calibSamples > 0) {
      const loader = loaderForModel(supernet, config, 'train_dataloader');
      const batches = await preloadBatches(loader, Math.min(calibSamples, loader.numSamples));
      try {
        const s = await calibrateBatchNorm(supernet, batches);
        logger.info(`BN statistics of the subnet calibrated on ${s.numSamples} train images before slicing.`);
      } finally {
        disposeBatches(batches);
        await loader.close();
      }
    }
    const res = await exportSubnet({
      supernet, choices: supernet.mutator.current(), outDir, config, skipLayersModel: args.values['no-tfjs'] === true,
    });
    stdout.write(
      `exported subnet (${(res.complexity.macs / 1e6).toFixed(2)} M MACs, ${(res.complexity.params / 1e6).toFixed(3)} M params, ${res.graph.nodes.length} ops):\n` +
        `  config:     ${res.configPath}\n  weights:    ${res.checkpointPath}\n  subnet:     ${res.subnetPath}\n` +
        (res.layersModelDir ? `  TF.js:      ${res.layersModelDir}/model.json\n` : '') +
        `evaluate: npx tsx tools/test.ts ${res.configPath} ${res.checkpointPath}\n`,
    );
  } finally {
    arch.dispose();
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
