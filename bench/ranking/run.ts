// The ranking benchmark: train SPOS and BigNAS supernets on the mini Track-1 space with the same
// epochs budget, score the ground-truth subnets with tools/track1/score.ts, compare with
// tools/analysis/rank_consistency.ts, and write bench/results/ranking.json and scatter plots in
// docs/img/. Resumable: supernet training continues from its checkpoints (--resume) and scoring
// from its progress file. Usage:
//   npx tsx bench/ranking/run.ts [--epochs N] [--only spos|bignas|spos_warmup|bignas_warmup] [--skip-train]
//     [--score top1|likelihood]   how score.ts scores the subnets (runs keyed <algo>_e<N>[_likelihood])
//     [--max-iters N --out FILE [--gt-dir DIR]]   a smoke test of the pipeline (training stops after
//     N iterations; DIR holds subnets.json and gt.json in place of bench/ranking/gt)
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/cli/load_config.js';
import { bootstrapKendall, type BootstrapInterval } from '../../src/evaluation/rank_bootstrap.js';
import { kendallTauB, rankConsistency } from '../../src/evaluation/rank_metrics.js';
import { scatterSvg, writePlot } from '../../src/evaluation/plots.js';
import { writeFileAtomic } from '../../src/track1/atomic_write.js';
import { readTrack1File } from '../../src/track1/format.js';
import { GT_DIR } from './gt_files.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WORK = join(ROOT, 'work_dirs', 'bench_ranking');
const RESULT = join(ROOT, 'bench', 'results', 'ranking.json');
// The *_warmup entries are the improvement tried: SPOS-MXNet's channel warm-up of the sampler.
const ALGORITHMS = {
  spos: 'configs/bench/spos_mini.yaml',
  bignas: 'configs/bench/bignas_mini.yaml',
  spos_warmup: 'configs/bench/spos_warmup_mini.yaml',
  bignas_warmup: 'configs/bench/bignas_warmup_mini.yaml',
} as const;
const BOOTSTRAP_RESAMPLES = 1000;
type AlgoName = keyof typeof ALGORITHMS;

interface AlgoResult {
  kendall_tau: number;
  kendall_tau_ci?: BootstrapInterval;
  abs_pearson: number;
  spearman: number;
  epochs: number;
  minutes: number;
  n: number;
  scoring_seconds_per_subnet?: number;
  plot: string;
}

function run(args: string[], logPath: string): Promise<{ rc: number; stdout: string }> {
  return new Promise((done) => {
    writeFileSync(logPath, `$ node --import tsx ${args.join(' ')}\n`, { flag: 'a' });
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      writeFileSync(logPath, d, { flag: 'a' });
    });
    child.stderr.on('data', (d: Buffer) => writeFileSync(logPath, d, { flag: 'a' }));
    child.on('close', (rc) => done({ rc: rc ?? 1, stdout }));
  });
}

/** `--cfg-options` that set the epochs budget, moving the end of every epoch-based scheduler with it. */
async function epochOverrides(configPath: string, epochs: number): Promise<string[]> {
  const { config } = await loadConfig(configPath);
  const old = (config.train_cfg as { max_epochs: number }).max_epochs;
  const schedulers = (config.param_scheduler as Record<string, unknown>[]).map((s) => (s.by_epoch && s.end === old ? { ...s, end: epochs } : s));
  return [`train_cfg.max_epochs=${epochs}`, `param_scheduler=${JSON.stringify(schedulers)}`];
}

const workDirOf = (name: AlgoName, epochs: number, maxIters: number | undefined): string =>
  join(WORK, `${name}_e${epochs}${maxIters === undefined ? '' : `_i${maxIters}`}`);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

type ScoreKind = 'top1' | 'likelihood';
/** Run key and file suffix of a scoring kind: top-1 keeps the plain names. */
const scoreSuffix = (score: ScoreKind): string => (score === 'top1' ? '' : `_${score}`);

async function benchAlgorithm(name: AlgoName, epochs: number, maxIters: number | undefined, skipTrain: boolean, archsFile: string, gtFile: string, plotDir: string, score: ScoreKind): Promise<AlgoResult & { score: ScoreKind }> {
  const config = ALGORITHMS[name];
  const workDir = workDirOf(name, epochs, maxIters);
  mkdirSync(workDir, { recursive: true });
  const log = join(workDir, 'bench.log');
  const finalPath = join(workDir, 'final_metrics.json');
  if (!skipTrain && !existsSync(finalPath)) {
    console.log(`[${name}] training ${epochs} epochs in ${relative(ROOT, workDir)} (log: ${relative(ROOT, log)})`);
    const overrides = await epochOverrides(config, epochs);
    if (maxIters !== undefined) overrides.push(`train_cfg.max_iters=${maxIters}`);
    const { rc } = await run(['tools/train.ts', config, '--work-dir', workDir, '--resume', '--backend', 'wasm', '--cfg-options', ...overrides], log);
    if (rc !== 0) fail(`[${name}] training failed (exit ${rc}); see ${log}. Run the same command again to resume.`);
  }
  if (!existsSync(finalPath)) fail(`[${name}] no trained supernet in ${workDir} (final_metrics.json missing); run without --skip-train.`);
  const final = JSON.parse(readFileSync(finalPath, 'utf8')) as { seconds: number };
  const pointer = join(workDir, 'last_checkpoint');
  const checkpoint = existsSync(pointer) ? resolve(workDir, readFileSync(pointer, 'utf8').trim()) : fail(`[${name}] no checkpoint in ${workDir}.`);

  const pred = join(workDir, `pred${scoreSuffix(score)}.json`);
  console.log(`[${name}] scoring the GT subnets with tools/track1/score.ts`);
  const scored = await run(['tools/track1/score.ts', config, checkpoint, '--archs', archsFile, '--out', pred, '--backend', 'wasm', '--score', score], log);
  if (scored.rc !== 0) fail(`[${name}] scoring failed (exit ${scored.rc}); see ${log}. Run again to continue.`);
  const report = scored.stdout.split('\n').find((l) => l.startsWith('{'));
  const parsed = report ? (JSON.parse(report) as { scored: number; seconds_per_subnet: { total: number } }) : undefined;
  // A resumed, already complete scoring has no timing of its own: the figure of the run that scored
  // is kept next to its predictions (not in ranking.json, which other invocations rewrite).
  const timingPath = `${pred}.timing.json`;
  let perSubnet = parsed && parsed.scored > 0 ? parsed.seconds_per_subnet.total : undefined;
  if (perSubnet !== undefined) writeFileAtomic(timingPath, `${JSON.stringify({ seconds_per_subnet: perSubnet })}\n`);
  else if (existsSync(timingPath)) perSubnet = (JSON.parse(readFileSync(timingPath, 'utf8')) as { seconds_per_subnet: number }).seconds_per_subnet;

  const plot = relative(ROOT, join(plotDir, `ranking_${name}_e${epochs}${scoreSuffix(score)}.svg`));
  const compared = await run(['tools/analysis/rank_consistency.ts', pred, gtFile, '--json', '--plot', plot,
    '--bootstrap', String(BOOTSTRAP_RESAMPLES)], log);
  if (compared.rc !== 0) fail(`[${name}] rank_consistency failed (exit ${compared.rc}); see ${log}.`);
  const m = JSON.parse(compared.stdout.trim().split('\n').at(-1)!) as { n: number; kendall_tau: number; abs_pearson: number; spearman: number; kendall_tau_ci: BootstrapInterval };
  return {
    kendall_tau: m.kendall_tau, kendall_tau_ci: m.kendall_tau_ci, abs_pearson: m.abs_pearson, spearman: m.spearman, epochs, score,
    minutes: Number((final.seconds / 60).toFixed(1)), n: m.n,
    ...(perSubnet === undefined ? {} : { scoring_seconds_per_subnet: Number(perSubnet.toFixed(2)) }), plot,
  };
}

const proxy = (xs: number[], ys: number[]) => {
  const r = rankConsistency(xs, ys);
  return {
    kendall_tau: r.kendall_tau, kendall_tau_ci: bootstrapKendall(xs, ys, { samples: BOOTSTRAP_RESAMPLES }),
    abs_pearson: r.abs_pearson, spearman: r.spearman,
  };
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { epochs: { type: 'string' }, 'max-iters': { type: 'string' }, out: { type: 'string' }, 'gt-dir': { type: 'string' }, only: { type: 'string' }, score: { type: 'string', default: 'top1' }, 'skip-train': { type: 'boolean', default: false } } });
  const score = values.score as ScoreKind;
  if (score !== 'top1' && score !== 'likelihood') fail(`--score must be top1 or likelihood, got ${values.score}.`);
  const gtDir = values['gt-dir'] === undefined ? GT_DIR : resolve(values['gt-dir']);
  const archsFile = join(gtDir, 'subnets.json');
  const gtFile = join(gtDir, 'gt.json');
  if (!existsSync(gtFile)) fail(`${gtFile} does not exist: run bench/ranking/make_gt.ts first.`);
  // A snapshot, so that every figure of this run sees the same GT while make_gt.ts keeps adding to it.
  const gtSnapshot = join(WORK, 'gt_snapshot.json');
  mkdirSync(WORK, { recursive: true });
  writeFileAtomic(gtSnapshot, readFileSync(gtFile, 'utf8'));
  const gt = readTrack1File(gtSnapshot, { requireAcc: true });
  if (gt.length < 3) fail(`${gtFile} has ${gt.length} subnets with both seeds; ranking needs at least 3 (continue bench/ranking/make_gt.ts).`);
  const subnets = new Map(readTrack1File(archsFile).map((e) => [e.key, e.value]));
  const acc = gt.map((e) => e.value.acc!);
  const seed0 = gt.map((e) => e.value.acc_seed0 as number);
  const seed1 = gt.map((e) => e.value.acc_seed1 as number);
  const defaultEpochs = (((await loadConfig(ALGORITHMS.spos)).config.train_cfg) as { max_epochs: number }).max_epochs;
  const epochs = values.epochs === undefined ? defaultEpochs : Number(values.epochs);
  if (!Number.isInteger(epochs) || epochs < 1) fail(`--epochs must be a positive integer, got ${values.epochs}.`);

  const maxIters = values['max-iters'] === undefined ? undefined : Number(values['max-iters']);
  const resultPath = values.out === undefined ? RESULT : resolve(values.out);
  if (maxIters !== undefined && values.out === undefined) fail('--max-iters is a smoke test: give --out too, so bench/results/ranking.json is not overwritten.');
  const result: Record<string, unknown> = {
    gt_ceiling_kendall: kendallTauB(seed0, seed1),
    gt_ceiling_kendall_ci: bootstrapKendall(seed0, seed1, { samples: BOOTSTRAP_RESAMPLES }),
    flops_proxy: proxy(gt.map((e) => subnets.get(e.key)!.macs as number), acc),
    params_proxy: proxy(gt.map((e) => subnets.get(e.key)!.params as number), acc),
    ...Object.fromEntries(Object.keys(ALGORITHMS).map((name) => [name, null])),
  };
  const runs: Record<string, unknown> = {};
  const plotDir = maxIters === undefined ? join(ROOT, 'docs', 'img') : dirname(resultPath);
  mkdirSync(plotDir, { recursive: true });
  const macs = gt.map((e) => subnets.get(e.key)!.macs as number);
  const flops = result.flops_proxy as { kendall_tau: number };
  await writePlot(join(plotDir, 'ranking_gt_seeds.svg'), scatterSvg({
    points: seed0.map((x, i) => ({ x, y: seed1[i]! })), xLabel: 'test accuracy, seed 0', yLabel: 'test accuracy, seed 1',
    title: `GT seed 0 vs seed 1: Kendall tau ${(result.gt_ceiling_kendall as number).toFixed(4)} (n = ${gt.length})`,
  }));
  await writePlot(join(plotDir, 'ranking_flops_proxy.svg'), scatterSvg({
    points: macs.map((m, i) => ({ x: acc[i]!, y: m / 1e6 })), xLabel: 'GT test accuracy (mean of 2 seeds)', yLabel: 'M MACs',
    title: `FLOPs proxy: Kendall tau ${flops.kendall_tau.toFixed(4)} (n = ${gt.length})`,
  }));
  if (values.only !== undefined && !(values.only in ALGORITHMS)) fail(`--only must be one of ${Object.keys(ALGORITHMS).join(', ')}, got ${values.only}.`);
  // --only limits training; every algorithm already trained at this budget is re-scored (a no-op
  // when its progress file is complete) and compared with the current GT.
  for (const name of Object.keys(ALGORITHMS) as AlgoName[]) {
    const selected = values.only === undefined || values.only === name;
    const trained = existsSync(join(workDirOf(name, epochs, maxIters), 'final_metrics.json'));
    if ((!selected || values['skip-train']) && !trained) continue;
    const key = `${name}_e${epochs}${scoreSuffix(score)}`;
    runs[key] = { ...(await benchAlgorithm(name, epochs, maxIters, values['skip-train']! || !selected, archsFile, gtSnapshot, plotDir, score)) };
  }
  // Runs of other budgets come from the file as it is now (read at the end, so that another
  // invocation that finished meanwhile is kept); this invocation's runs replace theirs.
  const previous = existsSync(resultPath) ? (JSON.parse(readFileSync(resultPath, 'utf8')) as { runs?: Record<string, unknown> }) : {};
  const allRuns = { ...(previous.runs ?? {}), ...runs };
  // The headline entries all come from one epochs budget (this invocation's), run now or earlier.
  for (const name of Object.keys(ALGORITHMS)) result[name] = allRuns[`${name}_e${epochs}${scoreSuffix(score)}`] ?? null;
  result.runs = allRuns;
  result.meta = {
    date: new Date().toISOString(),
    gt_subnets: gt.length,
    gt_subnets_planned: subnets.size,
    gt_dir: relative(ROOT, gtDir),
    gt_recipe: 'configs/bench/gt_standalone.yaml',
    machine: '2 CPU cores, TensorFlow.js WASM backend',
  };
  if (maxIters !== undefined) (result.meta as Record<string, unknown>).max_iters = maxIters;
  mkdirSync(dirname(resultPath), { recursive: true });
  writeFileAtomic(resultPath, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

await main();
