// A per-layer latency lookup table of a config's space on onnxruntime-node or the running tfjs
// engine (--runtime), and the error of its
// predictor against measured end-to-end latency on random subnets. Usage:
//   npx tsx tools/analysis/latency_table.ts CONFIG --out TABLE.json [--samples N] [--validate M]
//     [--threads T] [--runs R] [--warmup W] [--seed S] [--cfg-options ...]
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseToolArgs, UsageError } from '../../src/cli/args.js';
import { importConfigPlugins } from '../../src/cli/load_config.js';
import { runCli } from '../../src/cli/run.js';
import { prepareOutputFile } from '../../src/cli/outputs.js';
import { loadConfigFile } from '../../src/config/load.js';
import { applyOverrides } from '../../src/config/overrides.js';
import { validateBuildable } from '../../src/config/validate.js';
import { buildSupernetForCounting, findArchitectureConfig } from '../../src/models/complexity.js';
import { isSupernet, type Classifier } from '../../src/models/types.js';
import { buildContext } from '../../src/models/ops/build_context.js';
import { MODELS } from '../../src/registry/registries.js';
import { Rng } from '../../src/services/rng.js';
import { writeFileAtomic } from '../../src/engine/checkpoint.js';
import { tf } from '../../src/tf.js';
import { extractSubnetGraph } from '../../src/evaluation/export/subnet_graph.js';
import { mergeBatchNorm } from '../../src/evaluation/export/deploy_graph.js';
import { latencyUnits, type LatencyUnit } from '../../src/evaluation/latency/units.js';
import { fitAffine, LatencyPredictor, measureUnits } from '../../src/evaluation/latency/latency_table.js';
import { OrtTimer, TfjsTimer, median, quantile, type LatencyTimer } from '../../src/evaluation/latency/ort_timer.js';
import { initBackend } from '../../src/backend/index.js';
import type { SubnetChoices } from '../../src/mutables/types.js';

interface Output {
  write(text: string): unknown;
}

const USAGE = 'Usage: latency_table.ts CONFIG --out TABLE.json [--samples N] [--validate M] [--threads T] [--runs R] [--warmup W] [--seed S]';

const int = (v: unknown, name: string, dflt: number, min = 0): number => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer >= ${min}, got '${v}'.`);
  return n;
};

function errorsOf(predicted: number[], measured: number[]): { median_rel_error: number; p90_rel_error: number } {
  const e = predicted.map((p, i) => Math.abs(p - measured[i]!) / measured[i]!);
  return { median_rel_error: median(e), p90_rel_error: quantile(e, 0.9) };
}

export async function main(argv: string[], stdout: Output = process.stdout): Promise<number> {
  const args = parseToolArgs(argv, {
    out: { type: 'string', value: 'TABLE.json', description: 'Where to write the table (required); search_cfg.latency_table reads it.' },
    samples: { type: 'string', value: 'N', description: 'Random subnets whose layers the table covers, besides the max and min (default 500).' },
    calibrate: { type: 'string', value: 'K', description: 'Random subnets measured end to end to fit the affine correction (default 20; 0: none, plain sum).' },
    validate: { type: 'string', value: 'M', description: 'Other random subnets measured end to end to report the prediction error (default 60; 0: none).' },
    runtime: { type: 'string', value: 'onnxruntime|tfjs', description: "The runtime measured: onnxruntime (onnxruntime-node CPU, default) or tfjs (the running engine, --backend)." },
    rounds: { type: 'string', value: 'N', description: 'Interleaved passes over all layers; the median of their medians is kept (default 3).' },
    runs: { type: 'string', value: 'R', description: 'Timed runs per measurement; the median is kept (default 50).' },
    warmup: { type: 'string', value: 'W', description: 'Untimed runs before them (default 10).' },
  }, {
    tool: 'analysis/latency_table',
    usage: 'CONFIG --out TABLE.json [options]',
    summary: "Measure each layer of a config's space alone on onnxruntime-node (CPU) or the running tfjs engine (batch 1), write the lookup table, and report its predictor's error against measured end-to-end latency on random subnets.",
    arguments: { CONFIG: 'A YAML config with model.architecture (only the network is used; weights are random).' },
    examples: ['configs/mnist/resnet_mini_bignas.yaml --out work_dirs/latency/resnet_mini_ort1.json --threads 1'],
  });
  const v = args.values;
  if (args.positionals.length !== 1 || typeof v.out !== 'string') throw new UsageError(USAGE);
  const samples = int(v.samples, '--samples', 500);
  const validate = int(v.validate, '--validate', 60);
  const calibrate = int(v.calibrate, '--calibrate', 20);
  const rounds = int(v.rounds, '--rounds', 3, 1);
  const timing = { runs: int(v.runs, '--runs', 50, 1), warmup: int(v.warmup, '--warmup', 10) };
  const threads = int(args.threads, '--threads', 1, 1);
  const seed = int(args.seed, '--seed', 0);

  const file = resolve(args.positionals[0]!);
  const tracked = loadConfigFile(file);
  applyOverrides(tracked, args.cfgOptions);
  await importConfigPlugins(tracked);
  const archCfg = findArchitectureConfig(tracked.data, file);
  validateBuildable('models', archCfg, 'model.architecture', tracked.origins);
  const out = prepareOutputFile(v.out, '--out');
  const runtime = (v.runtime as string | undefined) ?? 'onnxruntime';
  if (runtime !== 'onnxruntime' && runtime !== 'tfjs') throw new UsageError(`--runtime is '${runtime}'; expected onnxruntime or tfjs.`);
  // tfjs: the engine named by --backend (or the fastest installed) is what is measured.
  const engine = runtime === 'tfjs' ? await initBackend(args.backend, (m) => stdout.write(`${m}\n`), { threads: args.threads }) : undefined;
  if (!engine) await tf.setBackend('cpu');
  const timer: LatencyTimer = engine ? new TfjsTimer(engine.threads ? `${engine.name}, ${engine.threads} thread(s)` : engine.name) : await OrtTimer.create(threads);

  const counting = buildSupernetForCounting(archCfg, file);
  const rng = new Rng(seed);
  const subnets: SubnetChoices[] = [counting.mutator.setMax(), counting.mutator.setMin()];
  for (let i = 0; i < samples; i++) subnets.push(counting.mutator.sample(rng));
  const held: SubnetChoices[] = [];
  const vrng = new Rng(seed + 1_000_003);
  for (let i = 0; i < validate; i++) held.push(counting.mutator.sample(vrng));
  const calib: SubnetChoices[] = [];
  const crng = new Rng(seed + 2_000_003);
  for (let i = 0; i < calibrate; i++) calib.push(counting.mutator.sample(crng));
  // The table covers the layer configurations of every subnet it is used on, the held-out ones
  // too: what is held out is their end-to-end time, never measured for the table.
  const units = new Map<string, LatencyUnit>();
  for (const s of [...subnets, ...calib, ...held]) {
    counting.mutator.set(s);
    for (const u of latencyUnits(extractSubnetGraph(counting, { weights: false }).graph)) units.set(u.key, u);
  }
  stdout.write(`${units.size} distinct layers in ${subnets.length + calib.length + held.length} subnets; measuring each alone on ${timer.runtime} (median of ${rounds} passes of ${timing.runs} runs)\n`);
  const start = performance.now();
  const table = await measureUnits(timer, units.values(), { ...timing, rounds });
  table.measured.host_note = 'medians on a shared machine; rebuild the table on the deployment host';
  stdout.write(`table: ${Object.keys(table.units).length} layers in ${((performance.now() - start) / 1000).toFixed(1)} s, runtime overhead ${table.overhead_ms.toFixed(4)} ms\n`);

  let validation: Record<string, unknown> | undefined;
  const net = MODELS.build<Classifier>(archCfg, { ctx: buildContext({ seed }) });
  if (!isSupernet(net)) throw new UsageError(`${file}: model.architecture is not a supernet.`);
  const predictor = new LatencyPredictor(table, out);
  /** End-to-end median of a subnet (BN-merged ONNX, random weights: fp32 time does not depend on values). */
  const measure = async (s: SubnetChoices) => {
    net.mutator.set(s);
    const { graph, weights } = extractSubnetGraph(net);
    const deploy = mergeBatchNorm(graph, weights);
    tf.dispose(Object.values(weights));
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) times.push(await timer.median(deploy, timing));
    return { graph, measured: median(times), macs: net.complexity().macs };
  };
  // Baseline: the same affine fit on MACs instead of the table, to show what the table adds.
  let macsFit: { intercept: number; slope: number } | undefined;
  if (calibrate > 0) {
    const xs: number[] = [];
    const ys: number[] = [];
    const macs: number[] = [];
    for (const s of calib) {
      const m = await measure(s);
      xs.push(predictor.unitSum(m.graph));
      ys.push(m.measured);
      macs.push(m.macs);
    }
    const fit = fitAffine(xs, ys);
    macsFit = fitAffine(macs, ys);
    table.calibration = { intercept_ms: fit.intercept, scale: fit.slope, subnets: calib.length };
    stdout.write(`affine correction on ${calib.length} subnets: ${fit.intercept.toFixed(4)} ms + ${fit.slope.toFixed(3)} x sum of layers\n`);
  }
  if (validate > 0) {
    const rows: { predicted_ms: number; measured_ms: number; rel_error: number; plain_sum_rel_error: number; macs: number }[] = [];
    for (const s of held) {
      const m = await measure(s);
      const predicted = predictor.predictGraph(m.graph);
      const plain = table.overhead_ms + predictor.unitSum(m.graph);
      rows.push({ predicted_ms: predicted, measured_ms: m.measured, rel_error: Math.abs(predicted - m.measured) / m.measured, plain_sum_rel_error: Math.abs(plain - m.measured) / m.measured, macs: m.macs });
    }
    const errs = rows.map((r) => r.rel_error);
    const signed = rows.map((r) => (r.predicted_ms - r.measured_ms) / r.measured_ms);
    validation = {
      subnets: rows.length,
      median_rel_error: median(errs),
      p90_rel_error: quantile(errs, 0.9),
      median_signed_rel_error: median(signed),
      plain_sum: { median_rel_error: median(rows.map((r) => r.plain_sum_rel_error)), p90_rel_error: quantile(rows.map((r) => r.plain_sum_rel_error), 0.9) },
      ...(macsFit ? { macs_affine_baseline: errorsOf(rows.map((r) => macsFit!.intercept + macsFit!.slope * r.macs), rows.map((r) => r.measured_ms)) } : {}),
      measured_ms: { min: Math.min(...rows.map((r) => r.measured_ms)), median: median(rows.map((r) => r.measured_ms)), max: Math.max(...rows.map((r) => r.measured_ms)) },
      rows,
    };
    stdout.write(
      `predictor vs measured end-to-end latency on ${rows.length} held-out random subnets: |error| median ${(100 * median(errs)).toFixed(1)} %, ` +
        `p90 ${(100 * quantile(errs, 0.9)).toFixed(1)} % (signed median ${(100 * median(signed)).toFixed(1)} %; plain sum without the correction: median ` +
        `${(100 * median(rows.map((r) => r.plain_sum_rel_error))).toFixed(1)} %` +
        (macsFit ? `; an affine fit on MACs instead: median ${(100 * errorsOf(rows.map((r) => macsFit!.intercept + macsFit!.slope * r.macs), rows.map((r) => r.measured_ms)).median_rel_error).toFixed(1)} %` : '') +
        `); measured ${median(rows.map((r) => r.measured_ms)).toFixed(3)} ms median\n`,
    );
  }
  net.dispose();
  await writeFileAtomic(out, `${JSON.stringify({ ...table, config: file, validation }, null, 1)}\n`);
  stdout.write(`wrote ${out}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
