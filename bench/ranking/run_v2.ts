// Ranking v2: train each method's supernet on the GT v2 space under several seeds (same epochs
// budget, configs/bench/v2/), score the GT v2 subnets with tools/track1/score.ts into
// bench/results/ranking_v2/<method>_s<seed>.json (acc = the supernet's validation top-1 after
// Calib-BN), and compare with bench/ranking/gt_v2/gt.json in bench/results/ranking_v2.json: Kendall,
// |Pearson|, Spearman per run with 90 % bootstrap intervals, the mean over seeds, and a paired
// bootstrap of (method - FLOPs proxy). One training process at a time; resumable (training from its
// per-epoch checkpoints, scoring from its progress file). Usage:
//   npx tsx bench/ranking/run_v2.ts --train spos,rank_spos_flops --seeds 0,1   train + score what is missing
//   npx tsx bench/ranking/run_v2.ts --report                                   compare every scored run with the current GT
//   npx tsx bench/ranking/run_v2.ts --markdown                                 print ranking_v2.json as the docs table
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, appendFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bootstrapKendall, pairedBootstrap, type PairedInterval } from '../../src/evaluation/rank_bootstrap.js';
import { kendallTauB, pearson, rankConsistency } from '../../src/evaluation/rank_metrics.js';
import { scatterSvg, writePlot } from '../../src/evaluation/plots.js';
import { writeFileAtomic } from '../../src/track1/atomic_write.js';
import { readTrack1File } from '../../src/track1/format.js';
import { GT_V2_DIR, NEAR_PAIR_RATIO, collectGtV2 } from './gt_v2_files.js';
import { compareNearPairs } from './local_kendall.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WORK = join(ROOT, 'work_dirs', 'bench_ranking_v2');
const PRED_DIR = join(ROOT, 'bench', 'results', 'ranking_v2');
const RESULT = join(ROOT, 'bench', 'results', 'ranking_v2.json');
const PLOTS = join(ROOT, 'docs', 'img');
const SPACE_CONFIG = 'configs/bench/_base_/mini_track1_space_v2.yaml';
const MAX_CODE = '13331111111111111111111';
const RESAMPLES = 1000;

const METHODS: Record<string, { config: string; title: string; teacher?: boolean; fewShot?: boolean }> = {
  spos: { config: 'configs/bench/v2/spos.yaml', title: 'SPOS (uniform)' },
  spos_8ep: { config: 'configs/bench/v2/spos_8ep.yaml', title: 'SPOS (uniform), 8 epochs' },
  fairnas: { config: 'configs/bench/v2/fairnas.yaml', title: 'FairNAS (strict-fair, 7 paths per step)' },
  bignas: { config: 'configs/bench/v2/bignas.yaml', title: 'BigNAS sandwich' },
  bignas_mmrazor: { config: 'configs/bench/v2/bignas_mmrazor.yaml', title: 'BigNAS, an optimizer step per path (mmrazor)' },
  bignas_alpha: { config: 'configs/bench/v2/bignas_alpha.yaml', title: 'BigNAS, alpha-divergence distillation (AlphaNet)' },
  bignas_fair: { config: 'configs/bench/v2/bignas_fair.yaml', title: 'BigNAS sandwich, strict-fair random paths' },
  rank_spos_flops: { config: 'configs/bench/v2/rank_spos_flops.yaml', title: 'SPOS + FLOPs-guided rank loss' },
  rank_spos_flops_descent: { config: 'configs/bench/v2/rank_spos_flops_descent.yaml', title: 'SPOS + FLOPs-guided rank loss, descent only (gradient: better)' },
  rank_spos_zen: { config: 'configs/bench/v2/rank_spos_zen.yaml', title: 'SPOS + ZenScore-guided rank loss' },
  rank_bignas_flops: { config: 'configs/bench/v2/rank_bignas_flops.yaml', title: 'BigNAS + FLOPs-guided rank loss (RD-NAS)' },
  demo_distill: { config: 'configs/bench/v2/demo_distill.yaml', title: 'Track-1 demo: random subnets distilled from a frozen teacher', teacher: true },
  fewshot_spos: { config: 'configs/bench/v2/fewshot_spos.yaml', title: 'Few-shot SPOS: 3 sub-supernets by stage3.depth', fewShot: true },
};
const FEW_SHOT_ALIAS = 'stage3.depth';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function run(args: string[], logPath: string): Promise<number> {
  return new Promise((done) => {
    const fd = openSync(logPath, 'a');
    appendFileSync(fd, `$ node --import tsx ${args.join(' ')}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', fd, fd] });
    child.on('close', (rc) => {
      closeSync(fd);
      done(rc ?? 1);
    });
  });
}

/** `run`, retried a minute apart (training resumes, scoring continues its progress file): the shared machine's engine can be unavailable for a while. */
async function runRetried(args: string[], log: string, what: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const rc = await run(args, log);
    if (rc === 0) return;
    if (attempt >= 10) fail(`${what} failed (exit ${rc}), see ${log}; the same command resumes it`);
    console.error(`${what} failed (exit ${rc}), retrying in 60 s`);
    await new Promise((r) => setTimeout(r, 60_000));
  }
}

const lastCheckpoint = (workDir: string): string => {
  const pointer = join(workDir, 'last_checkpoint');
  return existsSync(pointer) ? resolve(workDir, readFileSync(pointer, 'utf8').trim()) : fail(`no checkpoint in ${workDir}`);
};

async function train(config: string, workDir: string, seed: number, extra: string[]): Promise<void> {
  if (existsSync(join(workDir, 'final_metrics.json'))) return;
  mkdirSync(workDir, { recursive: true });
  const log = join(workDir, 'bench.log');
  console.log(`training ${config} seed ${seed} in ${relative(ROOT, workDir)}`);
  await runRetried(['tools/train.ts', config, '--seed', String(seed), '--work-dir', workDir, '--resume', '--backend', 'torch', ...extra], log, `training ${relative(ROOT, workDir)}`);
}

/**
 * Few-shot: the seed's SPOS one-shot supernet split by FEW_SHOT_ALIAS; each part fine-tuned from it
 * and scoring the GT subnets it holds; the parts' predictions merged in subnets.json order.
 */
async function fewShot(method: string, seed: number): Promise<void> {
  const m = METHODS[method]!;
  const out = join(PRED_DIR, `${method}_s${seed}.json`);
  if (existsSync(out)) return;
  await trainAndScore('spos', seed);
  const oneShot = lastCheckpoint(join(WORK, `spos_s${seed}`));
  const { loadConfig } = await import('../../src/cli/load_config.js');
  const { spaceOf } = await import('./gt_subnets.js');
  const { config } = await loadConfig(m.config);
  const { net, space } = await spaceOf(config, m.config);
  const { fewShotSplit, subSupernetOf } = await import('../../src/algorithms/samplers/subspace.js');
  const split = fewShotSplit(net, FEW_SHOT_ALIAS);
  const subnets = readTrack1File(join(GT_V2_DIR, 'subnets.json'));
  const part = subnets.map((e) => subSupernetOf(split, space.decode(e.value.arch)));
  const merged: Record<string, unknown> = {};
  const scored = new Map<string, unknown>();
  for (let k = 0; k < split.length; k++) {
    const value = split[k]![FEW_SHOT_ALIAS]!;
    const workDir = join(WORK, `${method}_s${seed}`, `part_${value}`);
    await train(m.config, workDir, seed, ['--cfg-options', `model.architecture.init_seed=${seed}`,
      `model.sampler.fixed={"${FEW_SHOT_ALIAS}":${value}}`, `model.init_checkpoint=${oneShot}`]);
    const archs = join(workDir, 'archs.json');
    writeFileAtomic(archs, `${JSON.stringify(Object.fromEntries(subnets.filter((_, i) => part[i] === k).map((e) => [e.key, e.value])), null, 1)}\n`);
    const partOut = join(workDir, 'pred.json');
    if (!existsSync(partOut)) {
      await runRetried(['tools/track1/score.ts', m.config, lastCheckpoint(workDir), '--archs', archs, '--out', partOut,
        '--progress', join(workDir, 'score_progress.jsonl'), '--backend', 'torch', '--cfg-options', `model.sampler.fixed={"${FEW_SHOT_ALIAS}":${value}}`],
      join(workDir, 'bench.log'), `scoring ${method} seed ${seed} part ${value}`);
    }
    for (const e of readTrack1File(partOut)) scored.set(e.key, e.value);
  }
  for (const e of subnets) merged[e.key] = scored.get(e.key);
  mkdirSync(PRED_DIR, { recursive: true });
  writeFileAtomic(out, `${JSON.stringify(merged, null, 1)}\n`);
  console.log(`${method} seed ${seed}: merged ${scored.size} subnets from ${split.length} sub-supernets`);
}

async function trainAndScore(method: string, seed: number): Promise<void> {
  const m = METHODS[method] ?? fail(`unknown method ${method}; one of ${Object.keys(METHODS).join(', ')}`);
  if (m.fewShot) return fewShot(method, seed);
  if (m.teacher) {
    await train('configs/bench/v2/teacher_max.yaml', join(WORK, 'teacher_max'), 0, ['--arch', MAX_CODE]);
    const reordered = join(WORK, 'teacher_max_reordered.ckpt');
    if (!existsSync(reordered) && (await run(['tools/reorder_channels.ts', join(WORK, 'teacher_max'), reordered], join(WORK, 'reorder.log'))) !== 0) {
      fail(`reordering the teacher failed, see ${join(WORK, 'reorder.log')}`);
    }
  }
  const workDir = join(WORK, `${method}_s${seed}`);
  const t0 = performance.now();
  await train(m.config, workDir, seed, ['--cfg-options', `model.architecture.init_seed=${seed}`]);
  const out = join(PRED_DIR, `${method}_s${seed}.json`);
  if (existsSync(out)) return;
  mkdirSync(PRED_DIR, { recursive: true });
  console.log(`scoring ${method} seed ${seed}`);
  await runRetried(['tools/track1/score.ts', m.config, lastCheckpoint(workDir), '--archs', join(GT_V2_DIR, 'subnets.json'), '--out', out,
    '--progress', join(workDir, 'score_progress.jsonl'), '--backend', 'torch'], join(workDir, 'bench.log'), `scoring ${method} seed ${seed}`);
  console.log(`${method} seed ${seed}: done in ${((performance.now() - t0) / 60000).toFixed(1)} min`);
}

/** Training minutes of a run (few-shot: the one-shot supernet plus its parts). */
function trainingMinutes(method: string, seed: number): number | null {
  const secondsOf = (dir: string): number | null => {
    const f = join(dir, 'final_metrics.json');
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as { seconds: number }).seconds : null;
  };
  const dirs = METHODS[method]?.fewShot
    ? [join(WORK, `spos_s${seed}`), ...(existsSync(join(WORK, `${method}_s${seed}`)) ? readdirSync(join(WORK, `${method}_s${seed}`)).filter((d) => d.startsWith('part_')).map((d) => join(WORK, `${method}_s${seed}`, d)) : [])]
    : [join(WORK, `${method}_s${seed}`)];
  const secs = dirs.map(secondsOf);
  return secs.some((x) => x === null) ? null : Number((secs.reduce((a, b) => a! + b!, 0)! / 60).toFixed(1));
}

/** Paired bootstrap over subnets of metric(method), the mean over its seeds, minus metric(proxy). */
function minusProxy(metric: (x: number[], y: number[]) => number, preds: number[][], proxy: number[], truth: number[]): PairedInterval {
  return pairedBootstrap(truth.length, (idx) => {
    const t = idx.map((i) => truth[i]!);
    return preds.reduce((s, pr) => s + metric(idx.map((i) => pr[i]!), t), 0) / preds.length - metric(idx.map((i) => proxy[i]!), t);
  }, { samples: RESAMPLES });
}

async function report(): Promise<void> {
  const subnets = readTrack1File(join(GT_V2_DIR, 'subnets.json'));
  const stats = collectGtV2(subnets.map((e) => ({ key: e.key, arch: e.value.arch, macs: e.value.macs as number })));
  const gt = readTrack1File(join(GT_V2_DIR, 'gt.json'), { requireAcc: true });
  if (gt.length < 5) fail(`gt.json has ${gt.length} subnets with 2+ seeds; continue bench/ranking/make_gt_v2.ts first`);
  const keys = gt.map((e) => e.key);
  const truth = gt.map((e) => e.value.acc!);
  const macsOf = new Map(subnets.map((e) => [e.key, e.value.macs as number]));
  const macs = keys.map((k) => macsOf.get(k)!);
  const paramsOf = new Map(subnets.map((e) => [e.key, e.value.params as number]));
  const params = keys.map((k) => paramsOf.get(k)!);
  const metrics = (pred: number[]) => ({ ...rankConsistency(pred, truth), kendall_tau_ci: bootstrapKendall(pred, truth, { samples: RESAMPLES }) });
  const result: Record<string, unknown> = {
    gt: { ...stats, n: gt.length },
    flops_proxy: metrics(macs),
    // The same ranking as MACs (same Kendall and Spearman); only its Pearson differs.
    log_flops_proxy: metrics(macs.map(Math.log)),
    // Not a method either: the other free baseline, for what MACs miss (capacity at low resolution).
    params_proxy: { ...metrics(params), near_pairs: compareNearPairs([params], macs, truth, macs, NEAR_PAIR_RATIO, RESAMPLES) },
    methods: {} as Record<string, unknown>,
  };
  mkdirSync(PLOTS, { recursive: true });
  await writePlot(join(PLOTS, 'ranking_v2_flops_proxy.svg'), scatterSvg({
    points: macs.map((m, i) => ({ x: truth[i]!, y: m / 1e6 })), xLabel: 'GT v2 test accuracy (mean of seeds)', yLabel: 'M MACs',
    title: `GT v2, FLOPs proxy: Kendall tau ${(result.flops_proxy as { kendall_tau: number }).kendall_tau.toFixed(3)} (n = ${gt.length})`,
  }));
  const files = existsSync(PRED_DIR) ? readdirSync(PRED_DIR).filter((f) => /_s\d+\.json$/.test(f)) : [];
  for (const method of Object.keys(METHODS)) {
    const seeds = files.filter((f) => f.startsWith(`${method}_s`) && /^\d+$/.test(f.slice(method.length + 2, -5))).map((f) => Number(f.slice(method.length + 2, -5))).sort();
    if (seeds.length === 0) continue;
    const perSeed: Record<string, unknown> = {};
    const preds: number[][] = [];
    for (const s of seeds) {
      const byKey = new Map(readTrack1File(join(PRED_DIR, `${method}_s${s}.json`)).map((e) => [e.key, e.value.acc as number]));
      if (!keys.every((k) => typeof byKey.get(k) === 'number')) continue;
      const pred = keys.map((k) => byKey.get(k)!);
      preds.push(pred);
      const minutes = trainingMinutes(method, s);
      perSeed[`s${s}`] = { ...metrics(pred), training_minutes: minutes, predictions: relative(ROOT, join(PRED_DIR, `${method}_s${s}.json`)) };
      await writePlot(join(PLOTS, `ranking_v2_${method}_s${s}.svg`), scatterSvg({
        points: pred.map((p, i) => ({ x: truth[i]!, y: p })), xLabel: 'GT v2 test accuracy (mean of seeds)', yLabel: 'supernet validation top-1',
        title: `${METHODS[method]!.title}, seed ${s}: Kendall tau ${kendallTauB(pred, truth).toFixed(3)} (n = ${gt.length})`,
      }));
    }
    if (preds.length === 0) continue;
    const taus = preds.map((p) => kendallTauB(p, truth));
    (result.methods as Record<string, unknown>)[method] = {
      title: METHODS[method]!.title,
      config: METHODS[method]!.config,
      seeds: preds.length,
      mean_kendall_tau: taus.reduce((a, b) => a + b, 0) / taus.length,
      minus_flops_paired_bootstrap: minusProxy(kendallTauB, preds, macs, truth),
      mean_pearson: preds.reduce((s, pr) => s + pearson(pr, truth), 0) / preds.length,
      // Pearson is the Track-1 write-ups' metric; accuracy grows with log MACs, so raw MACs would be a strawman.
      pearson_minus_log_flops_paired_bootstrap: minusProxy(pearson, preds, macs.map(Math.log), truth),
      near_pairs: compareNearPairs(preds, macs, truth, macs, NEAR_PAIR_RATIO, RESAMPLES),
      runs: perSeed,
    };
  }
  result.meta = {
    date: new Date().toISOString(),
    space_config: SPACE_CONFIG,
    gt_recipe: 'configs/bench/gt_v2_standalone.yaml',
    gt_dir: relative(ROOT, GT_V2_DIR),
    gt_subnets: gt.length,
    gt_subnets_planned: subnets.length,
    scoring: 'tools/track1/score.ts: Calib-BN on 2,000 train images, top-1 on the 6,000 held-out train images',
    intervals: '90 % percentile bootstrap over the GT subnets, 1,000 seeded resamples; paired: the same resamples for method and proxy',
    machine: '2 CPU cores, torch engine (libtorch kernels, 1 thread per process), two processes at a time',
  };
  writeFileAtomic(RESULT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

/** The table of docs/benchmarks.md, from bench/results/ranking_v2.json. */
function markdown(): void {
  type Ci = { low: number; high: number };
  type Run = { kendall_tau: number; kendall_tau_ci: Ci; abs_pearson: number; spearman: number; training_minutes: number | null };
  const r = JSON.parse(readFileSync(RESULT, 'utf8')) as {
    flops_proxy: Run;
    params_proxy?: Run;
    methods: Record<string, { title: string; mean_kendall_tau: number; minus_flops_paired_bootstrap: { mean: number; low: number; high: number }; runs: Record<string, Run> }>;
  };
  const f = (x: number) => x.toFixed(3);
  const signed = (d: { mean: number; low: number; high: number }) => `${d.mean >= 0 ? '+' : ''}${f(d.mean)} (${f(d.low)} .. ${f(d.high)})`;
  const rows = ['| method | seed | Kendall tau | 90 % interval | \\|Pearson\\| | Spearman | training minutes | mean tau over seeds | mean - FLOPs (90 % paired interval) |', '|---|---|---|---|---|---|---|---|---|'];
  const p = r.flops_proxy;
  rows.push(`| FLOPs (MACs) proxy | | ${f(p.kendall_tau)} | ${f(p.kendall_tau_ci.low)} .. ${f(p.kendall_tau_ci.high)} | ${f(p.abs_pearson)} | ${f(p.spearman)} | | | |`);
  const q = r.params_proxy;
  if (q) rows.push(`| Params proxy | | ${f(q.kendall_tau)} | ${f(q.kendall_tau_ci.low)} .. ${f(q.kendall_tau_ci.high)} | ${f(q.abs_pearson)} | ${f(q.spearman)} | | | |`);
  for (const m of Object.values(r.methods)) {
    Object.entries(m.runs).forEach(([seed, run], i) => {
      const d = m.minus_flops_paired_bootstrap;
      const tail = i === 0 ? `${f(m.mean_kendall_tau)} | ${signed(d)}` : ' | ';
      rows.push(`| ${i === 0 ? m.title : ''} | ${seed.slice(1)} | ${f(run.kendall_tau)} | ${f(run.kendall_tau_ci.low)} .. ${f(run.kendall_tau_ci.high)} | ${f(run.abs_pearson)} | ${f(run.spearman)} | ${run.training_minutes ?? ''} | ${tail} |`);
    });
  }
  console.log(rows.join('\n'));
  type Near = { ratio: number; pairs: number; tau: number; proxy_tau: number; minus_proxy: { mean: number; low: number; high: number } };
  const near = (title: string, n: Near | undefined) =>
    n ? `| ${title} | ${f(n.tau)} | ${f(n.proxy_tau)} | ${signed(n.minus_proxy)} |` : null;
  const nearRows = [
    near('Params proxy', (r.params_proxy as { near_pairs?: Near } | undefined)?.near_pairs),
    ...Object.values(r.methods).map((m) => near(m.title, (m as { near_pairs?: Near }).near_pairs)),
  ].filter((x): x is string => x !== null);
  type PearsonRow = { title: string; seeds: number; mean_pearson?: number; pearson_minus_log_flops_paired_bootstrap?: { mean: number; low: number; high: number } };
  const logFlops = (r as { log_flops_proxy?: Run }).log_flops_proxy;
  const pearsonRows = (Object.values(r.methods) as unknown as PearsonRow[]).filter((m) => m.pearson_minus_log_flops_paired_bootstrap).map((m) => {
    const d = m.pearson_minus_log_flops_paired_bootstrap!;
    return `| ${m.title} | ${m.seeds} | ${f(m.mean_pearson!)} | ${signed(d)} |`;
  });
  if (logFlops && pearsonRows.length) {
    console.log(`\nPearson (the Track-1 write-ups' metric); log MACs: ${f(logFlops.abs_pearson)}, raw MACs: ${f(p.abs_pearson)}:\n`);
    console.log(['| method | seeds | mean Pearson over seeds | minus log-MACs Pearson (90 % paired interval) |', '|---|---|---|---|', ...pearsonRows].join('\n'));
  }
  const first = Object.values(r.methods)[0] as { near_pairs?: Near } | undefined;
  if (nearRows.length && first?.near_pairs) {
    console.log(`\nNear pairs (MACs within ${first.near_pairs.ratio}x of each other, ${first.near_pairs.pairs} pairs):\n`);
    console.log(['| method | near-pair tau (mean over seeds) | FLOPs proxy | difference (90 % paired interval) |', '|---|---|---|---|', ...nearRows].join('\n'));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { train: { type: 'string' }, seeds: { type: 'string', default: '0,1' }, report: { type: 'boolean', default: false }, markdown: { type: 'boolean', default: false } } });
  if (values.markdown) return markdown();
  if (values.train) {
    const seeds = values.seeds!.split(',').map(Number);
    // Seed-major order: every method gets its first seed before any gets a second.
    for (const seed of seeds) for (const method of values.train.split(',')) await trainAndScore(method, seed);
  }
  if (values.report || !values.train) await report();
}

await main();
