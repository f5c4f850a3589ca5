// Ground truth of the ranking benchmark: every GT subnet trained stand-alone with one recipe
// (configs/bench/gt_standalone.yaml) under two seeds; test accuracies as Track-1 JSON in
// bench/ranking/gt/. Resumable: each finished run is appended to progress_seed<S>.jsonl and skipped
// next time, so a kill loses at most the run in progress. Usage:
//   npx tsx bench/ranking/make_gt.ts                 both seeds, one worker process each, in parallel
//   npx tsx bench/ranking/make_gt.ts --seed 1        one seed's worker
//   npx tsx bench/ranking/make_gt.ts --collect       only rewrite the JSONs from the progress files
//   [--limit N] stop a worker after N new runs; [--config C] another recipe
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/cli/load_config.js';
import { formatSubnetYaml } from '../../src/mutables/subnet_yaml.js';
import { writeFileAtomic } from '../../src/track1/atomic_write.js';
import { readTrack1File } from '../../src/track1/format.js';
import { spaceOf, stratifiedSample, trainingOrder, type GtSubnet } from './gt_subnets.js';
import { GT_DIR, SEEDS, collectGt, progressFile, readProgress, type ProgressLine } from './gt_files.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WORK = join(ROOT, 'work_dirs', 'bench_gt');
const SUBNETS_FILE = join(GT_DIR, 'subnets.json');
const GT_COUNT = 30;
const SELECTION_SEED = 0;

/** The GT subnets: read from subnets.json once it exists, so the selection never changes under a run. */
async function gtSubnets(configPath: string): Promise<GtSubnet[]> {
  if (existsSync(SUBNETS_FILE)) {
    return readTrack1File(SUBNETS_FILE).map((e) => ({ key: e.key, arch: e.value.arch, macs: e.value.macs as number, params: e.value.params as number }));
  }
  const { config } = await loadConfig(configPath);
  const { net, space } = await spaceOf(config, configPath);
  const subnets = stratifiedSample(net, space, { count: GT_COUNT, seed: SELECTION_SEED, poolSize: 4000 });
  mkdirSync(GT_DIR, { recursive: true });
  writeFileAtomic(SUBNETS_FILE, `${JSON.stringify(Object.fromEntries(subnets.map((s) => [s.key, { arch: s.arch, macs: s.macs, params: s.params }])), null, 1)}\n`);
  return subnets;
}

function runChild(args: string[], logPath: string): Promise<number> {
  return new Promise((done) => {
    const log = logPath;
    writeFileSync(log, `$ node --import tsx ${args.join(' ')}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => appendFileSync(log, d));
    child.stderr.on('data', (d: Buffer) => appendFileSync(log, d));
    child.on('close', (code) => done(code ?? 1));
  });
}

/** Train one subnet stand-alone under one seed; the test top-1, or null when the run failed. */
async function trainOne(configPath: string, subnet: GtSubnet, seed: number, choicesYaml: string): Promise<{ acc: number; seconds: number } | null> {
  const workDir = join(WORK, `seed${seed}`, subnet.key);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const subnetPath = join(workDir, 'subnet.yaml');
  writeFileSync(subnetPath, choicesYaml);
  const start = performance.now();
  const args = ['tools/train.ts', configPath, '--subnet', subnetPath, '--seed', String(seed), '--backend', 'wasm', '--work-dir', workDir,
    '--cfg-options', `model.architecture.init_seed=${seed}`];
  const rc = await runChild(args, join(workDir, 'train.log'));
  const metricsPath = join(workDir, 'final_metrics.json');
  if (rc !== 0 || !existsSync(metricsPath)) return null;
  const acc = (JSON.parse(readFileSync(metricsPath, 'utf8')) as { metrics: Record<string, number> }).metrics.top1;
  if (typeof acc !== 'number') return null;
  return { acc, seconds: (performance.now() - start) / 1000 };
}

async function worker(configPath: string, seed: number, limit: number): Promise<void> {
  const subnets = await gtSubnets(configPath);
  const { config } = await loadConfig(configPath);
  const { space } = await spaceOf(config, configPath);
  let runs = 0;
  // Every seed follows the same order, so the two-seed mean (gt.json) grows as the runs finish.
  for (const subnet of trainingOrder(subnets, 0)) {
    if (runs >= limit) break;
    if (readProgress(seed).some((p) => p.key === subnet.key)) continue;
    const yaml = formatSubnetYaml(space.decode(subnet.arch));
    let result = await trainOne(configPath, subnet, seed, yaml);
    // One retry: a WASM run can die of a transient allocation failure on a loaded machine.
    result ??= await trainOne(configPath, subnet, seed, yaml);
    runs++;
    if (!result) {
      console.error(`seed ${seed} ${subnet.key}: training failed twice, see ${join(WORK, `seed${seed}`, subnet.key, 'train.log')}; skipped for now`);
      continue;
    }
    const line: ProgressLine = { key: subnet.key, arch: subnet.arch, acc: result.acc, seconds: Math.round(result.seconds), macs: subnet.macs, finished_at: new Date().toISOString() };
    appendFileSync(progressFile(seed), `${JSON.stringify(line)}\n`);
    console.log(`seed ${seed} ${subnet.key} (${(subnet.macs / 1e6).toFixed(2)} M MACs): top1 ${(100 * result.acc).toFixed(2)}% in ${Math.round(result.seconds)} s`);
    collectGt(subnets);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seed: { type: 'string' }, collect: { type: 'boolean', default: false }, limit: { type: 'string' }, config: { type: 'string', default: 'configs/bench/gt_standalone.yaml' } },
  });
  const configPath = values.config!;
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (values.collect) {
    collectGt(await gtSubnets(configPath));
    return;
  }
  if (values.seed !== undefined) {
    await worker(configPath, Number(values.seed), limit);
    return;
  }
  await gtSubnets(configPath);
  const extra = values.limit === undefined ? [] : ['--limit', values.limit];
  const codes = await Promise.all(
    SEEDS.map((s) => runChildInherit(['bench/ranking/make_gt.ts', '--seed', String(s), '--config', configPath, ...extra])),
  );
  collectGt(await gtSubnets(configPath));
  if (codes.some((c) => c !== 0)) process.exitCode = 1;
}

function runChildInherit(args: string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: 'inherit' });
    child.on('close', (code) => done(code ?? 1));
  });
}

await main();
