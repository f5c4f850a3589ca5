// Train the algorithm of a config (a supernet, a distillation, or one fixed subnet) and report the
// validation accuracy. Usage:
//   npx tsx tools/train.ts CONFIG [--work-dir D] [--resume [PATH.ckpt]] [--cfg-options k=v ...]
//     [--backend tensorflow|torch|wasm|cpu] [--seed N] [--arch CODE | --subnet YAML] [--debug]
import 'reflect-metadata';
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { parseToolArgs, UsageError } from '../src/cli/args.js';
import { prepareOutputDir } from '../src/cli/outputs.js';
import { loadConfig } from '../src/cli/load_config.js';
import { runCli } from '../src/cli/run.js';
import { rerunWithoutTsxRelay, underTsxRelay } from '../src/cli/tsx_relay.js';
import { initBackend } from '../src/backend/index.js';
import { buildDataLoader } from '../src/datasets/index.js';
import { buildRunner, TrainingInterruptedError, type FinalMetrics } from '../src/engine/index.js';
import { writeFileAtomic } from '../src/engine/checkpoint.js';
import { createServices } from '../src/services/container.js';
import { TOKENS } from '../src/services/tokens.js';
import { codeSpaceOfConfig } from '../src/track1/supernet_code_space.js';
import { applySeed } from '../src/engine/seed.js';
import type { TypedConfig } from '../src/registry/registry.js';

const USAGE =
  'Usage: train.ts CONFIG [--work-dir D] [--resume [PATH.ckpt]] [--cfg-options key.path=value ...] ' +
  '[--backend tensorflow|torch|wasm|cpu] [--seed N] [--arch CODE | --subnet YAML] [--debug]';

/**
 * One Ctrl-C can arrive more than once: from the terminal and again from npm or tsx, which pass it
 * on to their child. Interrupts this close to the first count as the same one.
 */
const SAME_INTERRUPT_MS = 1000;

interface Output {
  write(text: string): unknown;
}

/** `--resume` takes a following word only when it names a checkpoint file, so `--resume CONFIG` stays unambiguous. */
function normaliseResume(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--resume') {
      out.push(argv[i]!);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && next.endsWith('.ckpt')) {
      out.push(`--resume=${next}`);
      i++;
    } else {
      out.push('--resume=');
    }
  }
  return out;
}

/** The model section that trains one fixed subnet of the config's supernet with plain supervision. */
function fixedSubnetModel(model: Record<string, unknown>, subnet: string | Record<string, number>): TypedConfig {
  if (!model.architecture) throw new UsageError('--arch/--subnet need a config whose model has an architecture (a supernet).');
  return { type: 'ImageClassifier', architecture: model.architecture, subnet, ...(model.loss ? { loss: model.loss } : {}) };
}

function formatMetrics(final: FinalMetrics): string {
  const pct = (v: number | undefined) => (v === undefined ? '-' : `${(100 * v).toFixed(2)}%`);
  const names = final.subnets ? Object.keys(final.subnets) : [''];
  return names
    .map((name) => {
      const prefix = name ? `${name}/` : '';
      const tops = Object.keys(final.metrics)
        .filter((k) => (name ? k.startsWith(prefix) : !k.includes('/')))
        .map((k) => `${k.slice(prefix.length)} ${pct(final.metrics[k])}`)
        .join('  ');
      const c = final.subnets?.[name];
      const cost = c ? `  (${(c.macs / 1e6).toFixed(2)} M MACs, ${(c.params / 1e6).toFixed(3)} M params)` : '';
      return `${name ? `${name} subnet` : 'network'}: ${tops || 'no validation data'}${cost}`;
    })
    .join('\n');
}

export async function main(argv: string[], stdout: Output = process.stdout): Promise<number> {
  const args = parseToolArgs(normaliseResume(argv), {
    resume: { type: 'string', value: '[FILE.ckpt]', description: "Continue from FILE.ckpt, or without a file from the work dir's latest checkpoint." },
    arch: { type: 'string', value: 'CODE', description: 'Train one fixed subnet (a Track-1 code) of the supernet stand-alone.' },
    subnet: { type: 'string', value: 'FILE.yaml', description: 'Train one fixed subnet, given as a subnet file, stand-alone.' },
  }, {
    tool: 'train',
    usage: 'CONFIG [options]',
    summary: 'Train the algorithm of a config (a supernet, a distillation or one fixed subnet) and report validation accuracy. Ctrl-C saves iter_N.ckpt and exits 130; --resume continues exactly.',
    arguments: { CONFIG: 'A YAML config (configs/...), with its _base_ files.' },
    examples: ['configs/mnist/resnet_mini_bignas.yaml', 'configs/mnist/resnet_mini_spos.yaml --resume', 'configs/track1/resnet48_spos.yaml --cfg-options train_cfg.max_epochs=60'],
  });
  if (args.positionals.length !== 1) throw new UsageError(USAGE);
  const arch = args.values.arch as string | undefined;
  const subnetFile = args.values.subnet as string | undefined;
  if (arch !== undefined && subnetFile !== undefined) throw new UsageError('Give either --arch or --subnet, not both.');
  const configPath = args.positionals[0]!;
  const { config } = await loadConfig(configPath, args.cfgOptions);

  const fixedTag = arch !== undefined ? `arch_${arch}` : subnetFile !== undefined ? `subnet_${basename(subnetFile, extname(subnetFile))}` : null;
  if (arch !== undefined) config.model = fixedSubnetModel(config.model as Record<string, unknown>, codeSpaceOfConfig(config).decode(arch));
  if (subnetFile !== undefined) config.model = fixedSubnetModel(config.model as Record<string, unknown>, resolve(subnetFile));
  const configName = basename(configPath, extname(configPath));
  const workDirOption = args.workDir !== undefined ? '--work-dir' : config.work_dir !== undefined ? 'work_dir' : 'the default work dir';
  const workDirPath = resolve(args.workDir ?? (config.work_dir as string | undefined) ?? join('work_dirs', fixedTag ? `${configName}_${fixedTag}` : configName));
  const workDirIsNew = !existsSync(workDirPath);
  const workDir = prepareOutputDir(workDirPath, workDirOption, 'checkpoints, logs and metrics');
  config.work_dir = workDir;
  if (args.seed !== undefined) applySeed(config, args.seed);

  const { container, logger } = createServices({ workDir, logLevel: args.debug ? 'debug' : 'info' });
  await initBackend(args.backend, (msg) => logger.info(msg), { threads: args.threads });

  let runner;
  try {
    runner = await buildRunner(config, {
      workDir,
      seed: args.seed,
      buildLoader: (section, { seed }) => buildDataLoader(section, { seed }),
    });
  } catch (err) {
    // Nothing was trained (a missing dataset, a network the data does not fit): do not leave a
    // work dir behind that holds only the log of the failed start.
    if (workDirIsNew) rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  container.registerInstance(TOKENS.checkpointStore, runner.store);
  let firstInterrupt: number | undefined;
  const onSignal = () => {
    const now = Date.now();
    if (firstInterrupt === undefined) {
      firstInterrupt = now;
      logger.warn('Interrupted: saving a checkpoint after this iteration (interrupt again to quit at once).');
      runner.requestStop();
    } else if (now - firstInterrupt > SAME_INTERRUPT_MS) {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const resume = args.values.resume as string | undefined;
    if (resume !== undefined) await runner.resume(resume === '' ? true : resolve(resume));
    // Written once the run is known to start, so a refused resume leaves the work dir's copy as it was.
    await writeFileAtomic(join(workDir, `${configName}.yaml`), stringify(config, { aliasDuplicateObjects: false }));
    logger.info(`Training ${String((config.model as TypedConfig).type)} for ${runner.maxIters} iterations (${runner.itersPerEpoch} per epoch) in ${workDir}.`);
    const final = await runner.train();
    stdout.write(`${formatMetrics(final)}\nwork_dir: ${workDir} (final_metrics.json, scalars.jsonl, checkpoints)\n`);
  } catch (err) {
    if (err instanceof TrainingInterruptedError) {
      logger.warn(err.message);
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await runner.close();
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  // Under `npx tsx`, tsx would kill a busy training process on Ctrl-C before it could save.
  if (underTsxRelay()) process.exitCode = await rerunWithoutTsxRelay();
  else await runCli((argv) => main(argv));
}
