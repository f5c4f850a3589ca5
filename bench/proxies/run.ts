// The proxies and predictors benchmark on the mini Track-1 space's ranking GT (bench/ranking/gt):
// 1. every zero-cost proxy scores the 30 GT subnets with tools/analysis/proxies.ts (resumable, in
//    work_dirs/bench_proxies/); its Kendall tau against gt.json (with a 90% bootstrap interval),
//    |Pearson|, Spearman and seconds per subnet;
// 2. every predictor by repeated random-split cross-validation: fitted on 10 / 20 / 40 labelled GT
//    subnets (sizes the GT cannot provide are reported as skipped), Kendall tau on the others, with
//    each proxy evaluated on the same held-out subnets and the predictor paired against the proxy
//    that ranks the whole GT best (a baseline chosen with every label, so a hard one).
// Writes bench/results/proxies.json and prints the tables of docs/benchmarks.md. Usage:
//   npx tsx bench/proxies/run.ts [--proxies ZenScore,SNIP,...] [--repeats 200] [--backend wasm]
//     [--feature NAME=SCORES.json ...]   extra label-free columns (e.g. a supernet's scores of the GT subnets)
//     [--out FILE] [--gt-dir DIR --config CONFIG]   another GT (gt.json, subnets.json if present) and its space's config
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/cli/load_config.js';
import { bootstrapKendall } from '../../src/evaluation/rank_bootstrap.js';
import { kendallTauB, rankConsistency } from '../../src/evaluation/rank_metrics.js';
import { buildSupernetForCounting, findArchitectureConfig } from '../../src/models/complexity.js';
import { writeFileAtomic } from '../../src/track1/atomic_write.js';
import { readTrack1File } from '../../src/track1/format.js';
import { codeSpaceOfConfig } from '../../src/track1/supernet_code_space.js';
import { PREDICTORS } from '../../src/registry/registries.js';
import { crossValidate, featureColumn, featureRow, type CvReport, type FeatureSpec, type Predictor } from '../../src/predictors/index.js';
import { main as proxiesMain } from '../../tools/analysis/proxies.js';
import { GT_DIR } from '../ranking/gt_files.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ALL_PROXIES = ['ZenScore', 'SNIP', 'GradNorm', 'Fisher', 'Synflow', 'NASWOT', 'MACs', 'Params'];
const TRAIN_SIZES = [10, 20, 40];
const PREDICTOR_CFGS: Record<string, { type: string; [k: string]: unknown }> = {
  GPNAS: { type: 'GPNAS' },
  Ridge: { type: 'Ridge' },
  RandomForest: { type: 'RandomForest', n_estimators: 100 },
};

const { values } = parseArgs({
  options: {
    proxies: { type: 'string' },
    repeats: { type: 'string', default: '200' },
    backend: { type: 'string', default: 'wasm' },
    feature: { type: 'string', multiple: true },
    out: { type: 'string', default: join(ROOT, 'bench', 'results', 'proxies.json') },
    'gt-dir': { type: 'string', default: GT_DIR },
    config: { type: 'string', default: 'configs/bench/spos_mini.yaml' },
  },
});
const proxies = values.proxies ? values.proxies.split(',') : ALL_PROXIES;
const repeats = Number(values.repeats);
const gtDir = resolve(values['gt-dir']!);
const CONFIG = values.config!;
// The GT's code list; a GT directory without one is read from gt.json (only its codes are used).
const subnetsFile = existsSync(join(gtDir, 'subnets.json')) ? join(gtDir, 'subnets.json') : join(gtDir, 'gt.json');
const gtFile = join(gtDir, 'gt.json');
const work = join(ROOT, 'work_dirs', 'bench_proxies', relative(ROOT, gtDir).replaceAll('/', '_'));
mkdirSync(work, { recursive: true });

const gt = readTrack1File(gtFile, { requireAcc: true });
const truth = gt.map((e) => e.value.acc!);
const codes = gt.map((e) => e.value.arch);
const round = (v: number, d = 4) => Number(v.toFixed(d));
const loadAtStart = loadavg().map((v) => round(v, 2));

// 1. Proxies.
const proxyResults: Record<string, Record<string, unknown>> = {};
const columns = new Map<string, Map<string, number>>();
for (const name of proxies) {
  const out = join(work, `${name}.json`);
  const lines: string[] = [];
  const rc = await proxiesMain([CONFIG, '--archs', subnetsFile, '--out', out, '--proxy', name, '--backend', values.backend!],
    { write: (t: string) => lines.push(t) });
  if (rc !== 0) throw new Error(`proxies.ts --proxy ${name} exited ${rc}`);
  const report = JSON.parse(lines.join('').trim().split('\n').at(-1)!) as { seconds_per_subnet: number; scored: number; proxy: unknown };
  const column = featureColumn(name, out, readTrack1File(out, { requireAcc: true }));
  columns.set(name, column);
  const scores = codes.map((c) => column.get(c)!);
  const rc2 = rankConsistency(scores, truth);
  const ci = bootstrapKendall(scores, truth, { samples: 1000, seed: 0 });
  proxyResults[name] = {
    kendall_tau: round(rc2.kendall_tau), kendall_tau_ci: { low: round(ci.low), high: round(ci.high), level: ci.level, samples: ci.samples },
    abs_pearson: round(rc2.abs_pearson), spearman: round(rc2.spearman),
    // Scores resumed from the progress file were timed by the run that made them: keep that figure.
    seconds_per_subnet: report.scored > 0 ? round(report.seconds_per_subnet, 5) : (previousSeconds(name) ?? null),
    settings: report.proxy, n: scores.length,
  };
  console.log(`${name}: tau ${rc2.kendall_tau.toFixed(3)} [${ci.low.toFixed(2)}, ${ci.high.toFixed(2)}], ${proxyResults[name]!.seconds_per_subnet} s/subnet`);
}

function previousSeconds(name: string): number | undefined {
  try {
    const prev = JSON.parse(readFileSync(values.out!, 'utf8')) as { proxies?: Record<string, { seconds_per_subnet?: number }> };
    return prev.proxies?.[name]?.seconds_per_subnet;
  } catch {
    return undefined;
  }
}

for (const item of values.feature ?? []) {
  const [name, file] = item.split('=') as [string, string];
  columns.set(name, featureColumn(name, file, readTrack1File(file, { requireAcc: true })));
}

// 2. Predictors.
const { config } = await loadConfig(CONFIG);
const space = codeSpaceOfConfig(config);
const supernet = buildSupernetForCounting(findArchitectureConfig(config, CONFIG), CONFIG);
const networkProxies = [...columns.keys()].filter((n) => n !== 'MACs' && n !== 'Params');
const featureSets: Record<string, FeatureSpec> = {
  all: { choices: true, complexity: true, extra: networkProxies },
  proxies: { choices: false, complexity: true, extra: networkProxies },
};
const baselines = Object.fromEntries([...columns].map(([n, col]) => [n, codes.map((c) => col.get(c)!)]));
const bestProxy = Object.entries(baselines).sort((a, b) => kendallTauB(b[1], truth) - kendallTauB(a[1], truth))[0]![0];
const predictorResults: Record<string, Record<string, CvReport | { skipped: string }>> = {};
for (const [setName, spec] of Object.entries(featureSets)) {
  const x = codes.map((c) => featureRow(c, spec, { space, supernet, extra: columns }));
  for (const [pName, cfg] of Object.entries(PREDICTOR_CFGS)) {
    const key = `${pName}_${setName}`;
    predictorResults[key] = {};
    for (const size of TRAIN_SIZES) {
      if (size > codes.length - 2) {
        predictorResults[key]![`train_${size}`] = { skipped: `the GT has ${codes.length} subnets; ${size} labelled would leave ${codes.length - size} to test` };
        continue;
      }
      const cv = crossValidate(x, truth, () => PREDICTORS.build<Predictor>(cfg), { trainSize: size, repeats, seed: 0 }, baselines, bestProxy);
      predictorResults[key]![`train_${size}`] = roundReport(cv);
      console.log(`${key} n=${size}: tau ${cv.predictor.mean.toFixed(3)} [${cv.predictor.low.toFixed(2)}, ${cv.predictor.high.toFixed(2)}]; ` +
        `vs ${bestProxy} ${cv.baselines[bestProxy]!.mean.toFixed(3)}: diff ${cv.versus.mean.toFixed(3)} [${cv.versus.low.toFixed(2)}, ${cv.versus.high.toFixed(2)}], wins ${(100 * cv.versus.wins).toFixed(0)}%; ` +
        `vs proxy picked on the training subnets ${cv.selected_baseline.mean.toFixed(3)}: diff ${cv.versus_selected.mean.toFixed(3)} [${cv.versus_selected.low.toFixed(2)}, ${cv.versus_selected.high.toFixed(2)}], wins ${(100 * cv.versus_selected.wins).toFixed(0)}%`);
    }
  }
}

function roundReport(cv: CvReport): CvReport {
  const r = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));
  return {
    ...cv,
    predictor: r(cv.predictor) as CvReport['predictor'],
    baselines: Object.fromEntries(Object.entries(cv.baselines).map(([k, v]) => [k, r(v)])) as CvReport['baselines'],
    versus: roundVersus(cv.versus),
    selected_baseline: { ...(r({ mean: cv.selected_baseline.mean, median: cv.selected_baseline.median, low: cv.selected_baseline.low, high: cv.selected_baseline.high }) as CvReport['predictor']), picks: cv.selected_baseline.picks },
    versus_selected: roundVersus(cv.versus_selected),
  };
}

function roundVersus(v: CvReport['versus']): CvReport['versus'] {
  return { ...v, mean: round(v.mean), low: round(v.low), high: round(v.high), wins: round(v.wins, 3) };
}

const result = {
  proxies: proxyResults,
  predictors: predictorResults,
  best_proxy: bestProxy,
  feature_sets: Object.fromEntries(Object.entries(featureSets).map(([k, s]) => [k, { ...s }])),
  meta: {
    date: new Date().toISOString(),
    command: `npx tsx bench/proxies/run.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    config: CONFIG, gt: relative(ROOT, gtFile), n: codes.length, repeats,
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, backend ${values.backend}`,
    load_average_start: loadAtStart,
    load_average_end: loadavg().map((v) => round(v, 2)),
  },
};
writeFileAtomic(values.out!, `${JSON.stringify(result, null, 2)}\n`);
console.log(`-> ${relative(ROOT, values.out!)}`);
