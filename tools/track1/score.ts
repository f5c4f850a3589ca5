// Fill `acc` (calibrated validation top-1 in [0, 1]) of every architecture of a Track-1 JSON from
// one trained supernet. Resumable: results go to OUT.progress.jsonl as they come, and the same
// command continues after a kill. Usage:
//   npx tsx tools/track1/score.ts CONFIG CHECKPOINT --archs FILE --out FILE [--shard i/n]
//     [--calib-samples N] [--val-samples N] [--score top1|likelihood] [--order arch|input] [--progress FILE]
// --score likelihood writes exp(-mean validation cross-entropy) (the geometric mean probability of
// the true class) as `acc`: a continuous score that ranks subnets whose top-1 differ by less than
// the validation set's sampling noise.
//     [--backend B] [--cfg-options k=v ...] [--debug]
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseToolArgs, UsageError } from '../../src/cli/args.js';
import { prepareOutputFile } from '../../src/cli/outputs.js';
import { loadConfig } from '../../src/cli/load_config.js';
import { runCli } from '../../src/cli/run.js';
import { initBackend } from '../../src/backend/index.js';
import { createServices, getProgress } from '../../src/services/container.js';
import { formatDuration } from '../../src/services/progress.js';
import { SubnetScorer, TimingTotals } from '../../src/evaluation/subnet_scorer.js';
import { EvaluationSetupError, loadArchitecture, loaderForModel, sampleCountsOf } from '../../src/evaluation/setup.js';
import { isSupernet } from '../../src/models/types.js';
import { codeSpaceOfConfig } from '../../src/track1/supernet_code_space.js';
import { readTrack1File } from '../../src/track1/format.js';
import { parseShard, selectShard } from '../../src/track1/shard.js';
import { defaultProgressPath, runScoringLoop } from '../../src/track1/scoring_loop.js';

const USAGE =
  'Usage: track1/score.ts CONFIG CHECKPOINT --archs FILE --out FILE [--shard i/n] [--calib-samples N] [--val-samples N] ' +
  '[--score top1|likelihood] [--order arch|input] [--progress FILE] [--backend tensorflow|torch|wasm|cpu] [--cfg-options key.path=value ...] [--debug]';

interface Output {
  write(text: string): unknown;
}

export async function main(argv: string[], stdout: Output = process.stdout): Promise<number> {
  const args = parseToolArgs(argv, {
    archs: { type: 'string', value: 'FILE.json', description: 'The Track-1 JSON of architectures to score (required).' },
    out: { type: 'string', value: 'FILE.json', description: 'Where to write it with acc filled in (required).' },
    shard: { type: 'string', value: 'i/n', description: 'Score only part i of n (0-based), deterministic; merge with track1/merge (default 0/1).' },
    'calib-samples': { type: 'string', value: 'N', description: 'Train images to re-calibrate BN on per subnet (default test_cfg.calibrate_sample_num; 0 off).' },
    'val-samples': { type: 'string', value: 'N', description: 'Validation images per subnet (default test_cfg.val_sample_num, else all).' },
    order: { type: 'string', value: 'arch|input', description: "Score in code order, so consecutive subnets share weight slices (arch, default), or the file's order (input)." },
    progress: { type: 'string', value: 'FILE', description: 'The resume journal (default OUT.progress.jsonl).' },
    score: { type: 'string', value: 'top1|likelihood', description: 'acc is validation top-1 (default) or exp(-mean cross-entropy).' },
  }, {
    tool: 'track1/score',
    usage: 'CONFIG CHECKPOINT --archs FILE.json --out FILE.json [options]',
    summary: 'Fill acc of every architecture of a Track-1 JSON from one trained supernet. Resumable: the same command continues after a kill.',
    arguments: { CONFIG: 'The YAML config the supernet was trained with.', CHECKPOINT: 'A .ckpt file, or a work dir (its latest checkpoint).' },
    examples: ['configs/track1/resnet48_bignas.yaml CKPT --archs data/track1/CVPR_2022_NAS_Track1_test.json --out scores.0.json --shard 0/8'],
  });
  const archsPath = args.values.archs as string | undefined;
  const outPath = args.values.out as string | undefined;
  if (args.positionals.length !== 2 || !archsPath || !outPath) throw new UsageError(USAGE);
  const order = (args.values.order as string | undefined) ?? 'arch';
  if (order !== 'arch' && order !== 'input') throw new UsageError(`--order must be 'arch' or 'input', got '${order}'.`);
  const scoreKind = (args.values.score as string | undefined) ?? 'top1';
  if (scoreKind !== 'top1' && scoreKind !== 'likelihood') {
    throw new UsageError(`--score must be 'top1' (validation accuracy) or 'likelihood' (exp of minus the mean validation cross-entropy), got '${scoreKind}'.`);
  }
  const [configPath, checkpointPath] = args.positionals as [string, string];
  const shard = parseShard((args.values.shard as string | undefined) ?? '0/1');
  const { config } = await loadConfig(configPath, args.cfgOptions);
  // Codes are read in the format of the configured supernet's space (Track-1 or e.g. a mini space).
  const codes = codeSpaceOfConfig(config);
  const entries = selectShard(readTrack1File(archsPath, { validateCodes: codes }), shard);
  // Each score kind keeps its own journal, so a likelihood run never resumes from top-1 results.
  const progressPath = prepareOutputFile(
    (args.values.progress as string | undefined) ?? defaultProgressPath(scoreKind === 'top1' ? outPath : `${outPath}.${scoreKind}`),
    args.values.progress !== undefined ? '--progress' : 'the progress file',
  );
  prepareOutputFile(outPath, '--out', { '--archs': archsPath, CONFIG: configPath, CHECKPOINT: checkpointPath });
  const { logger } = createServices({ logLevel: args.debug ? 'debug' : 'info' });
  await initBackend(args.backend, (msg) => logger.info(msg), { threads: args.threads });
  const { calibSamples, valSamples } = sampleCountsOf(args.values, config);

  const arch = loadArchitecture(config, checkpointPath);
  if (!isSupernet(arch)) throw new EvaluationSetupError('Track-1 scoring needs a supernet config (model.architecture with a mutator).');
  const valLoader = loaderForModel(arch, config, 'val_dataloader');
  const calibLoader = calibSamples > 0 ? loaderForModel(arch, config, 'train_dataloader') : undefined;
  const t0 = performance.now();
  const scorer = await SubnetScorer.fromLoaders(arch, {
    valLoader, valSamples: Math.min(valSamples ?? valLoader.numSamples, valLoader.numSamples),
    calibLoader, calibSamples: calibLoader ? Math.min(calibSamples, calibLoader.numSamples) : 0, topk: [1],
    nll: scoreKind === 'likelihood',
  });
  await valLoader.close();
  await calibLoader?.close();
  logger.info(
    `Scoring ${entries.length} architectures (shard ${shard.index}/${shard.count}) on ${scorer.valSamples} validation images, ` +
      `BN calibrated on ${scorer.calibSamples} train images per subnet; batches preloaded in ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
  );

  const timings = new TimingTotals();
  const progress = getProgress();
  let started = false;
  try {
    const summary = await runScoringLoop({
      entries,
      progressPath,
      outPath,
      order,
      score: async (batch) => {
        const accs: number[] = [];
        for (const e of batch) {
          const res = await scorer.score(codes.decode(e.value.arch));
          timings.add(res.timings);
          accs.push(scoreKind === 'top1' ? res.metrics.top1! : Math.exp(-res.metrics.nll!));
        }
        return accs;
      },
      onProgress: (p) => {
        if (!started) {
          if (p.resumed > 0) logger.info(`Resuming: ${p.resumed} of ${p.total} already scored in the progress file.`);
          progress.start(p.total - p.resumed, 'track1 score');
          started = true;
        }
        const s = timings.perSubnet();
        progress.update(p.scoredThisRun, {
          'subnets/min': Number(p.perMinute.toFixed(2)),
          eta: p.etaMs === undefined ? '?' : formatDuration(p.etaMs / 1000),
          calib_s: Number(s.calib.toFixed(3)),
          val_s: Number(s.val.toFixed(3)),
        });
      },
    });
    progress.stop();
    const s = timings.perSubnet();
    const report = {
      out: outPath, scored: summary.scoredThisRun, resumed: summary.resumed, total: entries.length,
      seconds_per_subnet: { total: s.total, set: s.set, calibrate: s.calib, validate: s.val },
      val_samples: scorer.valSamples, calib_samples: scorer.calibSamples, score: scoreKind,
    };
    stdout.write(
      `scored ${summary.scoredThisRun} (resumed ${summary.resumed}) of ${entries.length} -> ${outPath}; ` +
        `${s.total.toFixed(3)} s/subnet (set ${s.set.toFixed(4)}, calibrate ${s.calib.toFixed(3)}, validate ${s.val.toFixed(3)})\n` +
        `${JSON.stringify(report)}\n`,
    );
  } finally {
    progress.stop();
    scorer.dispose();
    arch.dispose();
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
