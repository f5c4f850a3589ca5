// Evaluate a trained network: top-1/top-5 of a supernet's subnet (optionally with BN
// re-calibration on train-split images) or of an exported fixed subnet. Usage:
//   npx tsx tools/test.ts CONFIG CHECKPOINT [--arch CODE | --subnet YAML | --max | --min]
//     [--calib-samples N] [--val-samples N] [--backend B] [--cfg-options k=v ...] [--debug]
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseToolArgs, UsageError } from '../src/cli/args.js';
import { SUBNET_OPTIONS } from '../src/cli/subnet_options.js';
import { loadConfig } from '../src/cli/load_config.js';
import { runCli } from '../src/cli/run.js';
import { initBackend } from '../src/backend/index.js';
import { createServices } from '../src/services/container.js';
import { isSupernet } from '../src/models/types.js';
import { calibrateBatchNorm } from '../src/evaluation/calibrate_bn.js';
import { evaluateClassifier } from '../src/evaluation/evaluator.js';
import { disposeBatches, preloadBatches } from '../src/evaluation/batches.js';
import { readTestCfg } from '../src/evaluation/test_cfg.js';
import { loadArchitecture, loaderForModel, requireSupernetFor, sampleCountsOf, subnetArgsOf, subnetFromArgs } from '../src/evaluation/setup.js';

const USAGE =
  'Usage: test.ts CONFIG CHECKPOINT [--arch CODE | --subnet YAML | --max | --min] [--calib-samples N] [--val-samples N] ' +
  '[--backend tensorflow|torch|wasm|cpu] [--cfg-options key.path=value ...] [--debug]';

interface Output {
  write(text: string): unknown;
}

export interface TestResult {
  metrics: Record<string, number>;
  num_samples: number;
  calibrated_samples: number;
  macs?: number;
  params?: number;
  subnet?: Record<string, number>;
}

export async function main(argv: string[], stdout: Output = process.stdout): Promise<number> {
  const args = parseToolArgs(argv, {
    ...SUBNET_OPTIONS,
    'val-samples': { type: 'string', value: 'N', description: 'Evaluate on the first N images (default test_cfg.val_sample_num, else all).' },
  }, {
    tool: 'test',
    usage: 'CONFIG CHECKPOINT [--arch CODE | --subnet FILE.yaml | --max | --min] [options]',
    summary: "Top-1/top-5 of one subnet of a trained supernet (BN re-calibrated on train-split images) or of an exported subnet, on test_dataloader (else val_dataloader).",
    arguments: { CONFIG: 'The YAML config the checkpoint was trained with (or an exported config.yaml).', CHECKPOINT: 'A .ckpt file, or a work dir (its latest checkpoint).' },
    examples: ['configs/mnist/resnet_mini_bignas.yaml work_dirs/resnet_mini_bignas --min'],
  });
  if (args.positionals.length !== 2) throw new UsageError(USAGE);
  const [configPath, checkpointPath] = args.positionals as [string, string];
  const sel = subnetArgsOf(args.values);
  const { config } = await loadConfig(configPath, args.cfgOptions);
  const { logger } = createServices({ logLevel: args.debug ? 'debug' : 'info' });
  await initBackend(args.backend, (msg) => logger.info(msg), { threads: args.threads });

  const testCfg = readTestCfg(config);
  const { calibSamples, valSamples } = sampleCountsOf(args.values, config);

  const arch = loadArchitecture(config, checkpointPath);
  try {
    const supernet = requireSupernetFor(arch, sel);
    const choices = supernet ? subnetFromArgs(sel, supernet, config) : undefined;
    if (supernet && choices) supernet.mutator.set(choices);
    const result: TestResult = { metrics: {}, num_samples: 0, calibrated_samples: 0 };
    if (calibSamples > 0) {
      const loader = loaderForModel(arch, config, 'train_dataloader');
      const batches = await preloadBatches(loader, Math.min(calibSamples, loader.numSamples));
      try {
        result.calibrated_samples = (await calibrateBatchNorm(arch, batches)).numSamples;
      } finally {
        disposeBatches(batches);
        await loader.close();
      }
    }
    const loader = loaderForModel(arch, config, 'test_dataloader', 'val_dataloader');
    try {
      const res = await evaluateClassifier(arch, loader, { topk: testCfg.topk, maxSamples: valSamples });
      result.metrics = res.metrics;
      result.num_samples = res.numSamples;
    } finally {
      await loader.close();
    }
    if (isSupernet(arch)) {
      const c = arch.complexity();
      Object.assign(result, { macs: c.macs, params: c.params, subnet: arch.mutator.current() });
    }
    const pct = Object.entries(result.metrics).map(([k, v]) => `${k} ${(100 * v).toFixed(2)}%`).join('  ');
    const cost = result.macs !== undefined ? `, ${(result.macs / 1e6).toFixed(2)} M MACs, ${(result.params! / 1e6).toFixed(3)} M params` : '';
    const calib = result.calibrated_samples > 0 ? `, BN calibrated on ${result.calibrated_samples} train images` : '';
    stdout.write(`${pct}  (${result.num_samples} images${calib}${cost})\n${JSON.stringify(result)}\n`);
  } finally {
    arch.dispose();
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
