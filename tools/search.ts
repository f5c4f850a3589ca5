// Search a trained supernet for the best subnet under macs/params constraints (search_cfg), scoring
// candidates by calibrated validation top-1. Resumable: run the same command after a kill.
// Writes best_subnet.yaml, candidates.json and pareto.svg in the work dir. Usage:
//   npx tsx tools/search.ts CONFIG CHECKPOINT [--work-dir D] [--cfg-options search_cfg.searcher.max_generations=5 ...]
//     [--backend B] [--debug]
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseToolArgs, UsageError } from '../src/cli/args.js';
import { prepareOutputDir } from '../src/cli/outputs.js';
import { loadConfig } from '../src/cli/load_config.js';
import { runCli } from '../src/cli/run.js';
import { initBackend } from '../src/backend/index.js';
import { createServices, getProgress } from '../src/services/container.js';
import { SEARCHERS } from '../src/registry/registries.js';
import { isSupernet, type Supernet } from '../src/models/types.js';
import { readTestCfg } from '../src/evaluation/test_cfg.js';
import { SubnetScorer, TimingTotals } from '../src/evaluation/subnet_scorer.js';
import { EvaluationSetupError, loadArchitecture, loaderForModel } from '../src/evaluation/setup.js';
import { spaceExtremes } from '../src/algorithms/samplers/base.js';
import { checkFeasible, ConstraintError } from '../src/search/constraints.js';
import { LatencyPredictor } from '../src/evaluation/latency/latency_table.js';
import { readSearchCfg } from '../src/search/search_cfg.js';
import { buildProxy, loadProxyBatch, proxyScorer } from '../src/proxies/index.js';
import type { TypedConfig } from '../src/registry/registry.js';
import { tf } from '../src/tf.js';
import { writeSearchOutputs } from '../src/search/search_outputs.js';
import { canonicalChoices } from '../src/search/canonical.js';
import type { SearchConstraints, Searcher } from '../src/search/types.js';

const USAGE =
  'Usage: search.ts CONFIG CHECKPOINT [--work-dir D] [--cfg-options search_cfg.key=value ...] [--backend tensorflow|wasm|cpu] [--debug]';

interface Output {
  write(text: string): unknown;
}

export async function main(argv: string[], stdout: Output = process.stdout): Promise<number> {
  const args = parseToolArgs(argv, {}, {
    tool: 'search',
    usage: 'CONFIG CHECKPOINT [--work-dir DIR] [--cfg-options search_cfg.KEY=VALUE ...]',
    summary:
      "Search a trained supernet for the best subnet under search_cfg's macs/params constraints, scoring candidates by top-1 on val_dataloader " +
      'after BN re-calibration. Resumable: the same command continues after a kill. Writes best_subnet.yaml, candidates.json and pareto.svg ' +
      '(default work dir: the config\'s work dir + /search).',
    arguments: { CONFIG: 'The YAML config the supernet was trained with (its search_cfg).', CHECKPOINT: 'A .ckpt file, or a work dir (its latest checkpoint).' },
    examples: [
      'configs/mnist/resnet_mini_bignas.yaml work_dirs/resnet_mini_bignas',
      "CONFIG CKPT --cfg-options 'search_cfg.searcher.constraints={macs: [0, 3.0e6]}' search_cfg.searcher.max_generations=10",
    ],
  });
  if (args.positionals.length !== 2) throw new UsageError(USAGE);
  const [configPath, checkpointPath] = args.positionals as [string, string];
  const { config } = await loadConfig(configPath, args.cfgOptions);
  const workDir = prepareOutputDir(
    args.workDir ?? join((config.work_dir as string | undefined) ?? join('work_dirs', basename(configPath, extname(configPath))), 'search'),
    args.workDir !== undefined ? '--work-dir' : 'the search work dir',
    'search_state.json, best_subnet.yaml, candidates.json and pareto.svg',
  );
  const { logger } = createServices({ workDir, logLevel: args.debug ? 'debug' : 'info' });
  await initBackend(args.backend, (msg) => logger.info(msg), { threads: args.threads });

  const searchCfg = readSearchCfg(config);
  const testCfg = readTestCfg(config);
  const calibrate = searchCfg.calibrate_bn ?? testCfg.calibrate_bn;
  const calibSamples = calibrate ? (searchCfg.calibrate_sample_num ?? testCfg.calibrate_sample_num) : 0;
  const valSamples = searchCfg.val_sample_num ?? testCfg.val_sample_num;
  const searcher = SEARCHERS.build<Searcher>(searchCfg.searcher);

  const arch = loadArchitecture(config, checkpointPath);
  if (!isSupernet(arch)) throw new EvaluationSetupError('Search needs a supernet config (model.architecture with a mutator).');
  const constraints = (searchCfg.searcher as { constraints?: SearchConstraints }).constraints ?? {};
  checkFeasible(constraints, spaceExtremes(arch));
  if (constraints.latency_ms && !searchCfg.latency_table) {
    throw new ConstraintError('search_cfg.searcher.constraints.latency_ms needs search_cfg.latency_table: a table written by tools/analysis/latency_table.ts for this config.');
  }
  const latency = searchCfg.latency_table ? LatencyPredictor.fromFile(searchCfg.latency_table) : undefined;
  if (latency) logger.info(`Candidates' latency_ms predicted by ${searchCfg.latency_table} (${latency.table.runtime}, batch 1).`);
  const valLoader = loaderForModel(arch, config, 'val_dataloader');
  const calibLoader = calibSamples > 0 ? loaderForModel(arch, config, 'train_dataloader') : undefined;
  const scorer = await SubnetScorer.fromLoaders(arch, {
    valLoader, valSamples: Math.min(valSamples ?? valLoader.numSamples, valLoader.numSamples),
    calibLoader, calibSamples: calibLoader ? Math.min(calibSamples, calibLoader.numSamples) : 0, topk: [1],
  });
  await valLoader.close();
  await calibLoader?.close();
  const prior = await buildSearchPrior(searchCfg.prior, arch, config);

  const timings = new TimingTotals();
  const progress = getProgress();
  let started = false;
  try {
    logger.info(`${searchCfg.searcher.type} in ${workDir}: candidates scored on ${scorer.valSamples} validation images, BN calibrated on ${scorer.calibSamples} train images.`);
    const result = await searcher.run({
      mutator: arch.mutator,
      complexity: (c) => (latency ? { ...arch.complexity(c), latency_ms: latency.predict(arch, c) } : arch.complexity(c)),
      canonicalize: (c) => canonicalChoices(arch, c),
      checkpointPath: join(workDir, 'search_state.json'),
      prior: prior?.score,
      score: async (choices) => {
        const res = await scorer.score(choices);
        timings.add(res.timings);
        return res.metrics.top1!;
      },
      onScored: (c, p) => {
        if (!started) {
          progress.start(p.total, 'search');
          started = true;
        }
        progress.update(Math.min(p.scored, p.total), { gen: p.generation, acc: Number(c.acc.toFixed(4)), s_per_subnet: Number(timings.perSubnet().total.toFixed(3)) });
      },
    });
    progress.stop();
    const outputs = await writeSearchOutputs(workDir, result, {
      method: searchCfg.searcher.type,
      config: basename(configPath),
      score: `top-1 on ${scorer.valSamples} val_dataloader images${scorer.calibSamples > 0 ? ', BN re-calibrated' : ''}`,
      maxMacs: (searchCfg.searcher as { constraints?: SearchConstraints }).constraints?.macs?.[1],
    });
    const b = result.best;
    stdout.write(
      `best: top-1 ${(100 * b.acc).toFixed(2)}% at ${(b.macs / 1e6).toFixed(2)} M MACs, ${(b.params / 1e6).toFixed(3)} M params` +
        (b.latency_ms === undefined ? ' ' : `, ${b.latency_ms.toFixed(3)} ms predicted `) +
        `(${result.candidates.length} candidates scored)\n  ${outputs.bestSubnet}\n  ${outputs.candidates}\n  ${outputs.paretoPlot}\n` +
        `${JSON.stringify({ best: b, num_candidates: result.candidates.length, work_dir: workDir })}\n`,
    );
  } finally {
    progress.stop();
    prior?.dispose();
    scorer.dispose();
    arch.dispose();
  }
  return 0;
}

/** search_cfg.prior as a subnet scorer: the proxy, and its batch of train images when it reads data. */
async function buildSearchPrior(cfg: TypedConfig | undefined, supernet: Supernet, config: Record<string, unknown>) {
  if (!cfg) return undefined;
  const proxy = buildProxy(cfg);
  const batch = proxy.batchSize > 0 ? await loadProxyBatch(config, proxy.batchSize) : undefined;
  return { score: proxyScorer(proxy, { supernet, batch }), dispose: () => batch && tf.dispose([batch.images, batch.labels]) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
