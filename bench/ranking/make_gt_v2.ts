// GT v2 of the ranking benchmark: 50 subnets of the v2 space (configs/bench/gt_v2_standalone.yaml),
// stratified by log MACs over a pool that spans the whole space (gt_subnets.ts), each trained stand-alone under seeds 0, 1, 2 and 3 by tools/train.ts, scored on the
// MNIST test set; Track-1 JSONs in bench/ranking/gt_v2/. One training process per shard
// (--shard i/n takes every n-th run of the job list; shards share progress.jsonl), in this order: seeds 0 and 1 of every subnet (a seeded shuffle of the subnets,
// so a partial GT spans the MACs range and has its seed-vs-seed ceiling), then seeds 2 and 3 of every subnet.
// Resumable: each finished run is appended to progress.jsonl and skipped next time; a kill loses at
// most the run in progress. A pause of the process group (kill -STOP / -CONT) only delays it: no
// timer kills a run and the child writes its log straight to a file, not through a pipe.
//   npx tsx bench/ranking/make_gt_v2.ts              train what is missing (runs under $TFRAZOR_THREADS)
//   npx tsx bench/ranking/make_gt_v2.ts --collect    only rebuild the JSONs and print the statistics
//   [--limit N] stop after N new runs; [--backend torch|wasm] (torch by default); [--shard i/n]
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/cli/load_config.js';
import { writeFileAtomic } from '../../src/track1/atomic_write.js';
import { readTrack1File } from '../../src/track1/format.js';
import { parseShard, selectShard } from '../../src/track1/shard.js';
import { spaceOf, stratifiedSample, trainingOrder, type GtSubnet } from './gt_subnets.js';
import { GT_V2_DIR, GT_V2_SEEDS, PROGRESS_V2, collectGtV2, readRuns, type RunLine } from './gt_v2_files.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WORK = join(ROOT, 'work_dirs', 'bench_gt_v2');
const GT_V2_CONFIG = 'configs/bench/gt_v2_standalone.yaml';
const SUBNETS_FILE = join(GT_V2_DIR, 'subnets.json');
const GT_COUNT = 50;
const RETRIES = 10;
const RETRY_WAIT_S = 60;
const SELECTION_SEED = 0;

/** The GT subnets: read from subnets.json once it exists, so the selection never changes under a run. */
async function gtSubnets(): Promise<GtSubnet[]> {
  if (existsSync(SUBNETS_FILE)) {
    return readTrack1File(SUBNETS_FILE).map((e) => ({ key: e.key, arch: e.value.arch, macs: e.value.macs as number, params: e.value.params as number }));
  }
  const { config } = await loadConfig(GT_V2_CONFIG);
  const { net, space } = await spaceOf(config, GT_V2_CONFIG);
  const subnets = stratifiedSample(net, space, { count: GT_COUNT, seed: SELECTION_SEED, poolSize: 4000, scale: 'log', pool: 'capacity' });
  mkdirSync(GT_V2_DIR, { recursive: true });
  writeFileAtomic(SUBNETS_FILE, `${JSON.stringify(Object.fromEntries(subnets.map((s) => [s.key, { arch: s.arch, macs: s.macs, params: s.params }])), null, 1)}\n`);
  return subnets;
}

/** The runs in training order: seeds 0 and 1 of every subnet (shuffled), then seeds 2 and 3 of every subnet in the same order. */
function jobOrder(subnets: readonly GtSubnet[]): { subnet: GtSubnet; seed: number }[] {
  const order = trainingOrder(subnets, 0);
  const jobs: { subnet: GtSubnet; seed: number }[] = [];
  for (let s = 0; s < GT_V2_SEEDS.length; s += 2) jobs.push(...order.flatMap((subnet) => GT_V2_SEEDS.slice(s, s + 2).map((seed) => ({ subnet, seed }))));
  return jobs;
}

/** The last non-empty line of a log (the error a failed run printed). */
function lastLine(path: string): string {
  if (!existsSync(path)) return 'no log';
  return readFileSync(path, 'utf8').trim().split('\n').at(-1)?.slice(0, 200) ?? '';
}

function runChild(args: string[], logPath: string): Promise<number> {
  return new Promise((done) => {
    const fd = openSync(logPath, 'a');
    appendFileSync(fd, `$ node --import tsx ${args.join(' ')}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', fd, fd] });
    child.on('close', (code) => {
      closeSync(fd);
      done(code ?? 1);
    });
  });
}

async function trainOne(subnet: GtSubnet, seed: number, backend: string): Promise<{ acc: number; seconds: number } | null> {
  const workDir = join(WORK, `seed${seed}`, subnet.key);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const start = performance.now();
  const args = ['tools/train.ts', GT_V2_CONFIG, '--arch', subnet.arch, '--seed', String(seed), '--backend', backend, '--work-dir', workDir,
    '--cfg-options', `model.architecture.init_seed=${seed}`];
  const rc = await runChild(args, join(workDir, 'train.log'));
  const metricsPath = join(workDir, 'final_metrics.json');
  if (rc !== 0 || !existsSync(metricsPath)) return null;
  const acc = (JSON.parse(readFileSync(metricsPath, 'utf8')) as { metrics: Record<string, number> }).metrics.top1;
  if (typeof acc !== 'number') return null;
  return { acc, seconds: (performance.now() - start) / 1000 };
}

function report(subnets: GtSubnet[]): void {
  const s = collectGtV2(subnets);
  const pairs = s.seed_pairs.map((p) => `seed ${p.seeds[0]} vs ${p.seeds[1]}: tau ${p.kendall_tau.toFixed(3)} (${p.kendall_tau_ci.low.toFixed(2)}..${p.kendall_tau_ci.high.toFixed(2)}, n ${p.n})`);
  const halves = s.halves ? `; halves ${s.halves.seeds.map((g) => g.join('+')).join(' vs ')}: tau ${s.halves.kendall_tau.toFixed(3)} (${s.halves.kendall_tau_ci.low.toFixed(2)}..${s.halves.kendall_tau_ci.high.toFixed(2)}, n ${s.halves.n}; Pearson ${s.halves.pearson.toFixed(3)})` +
    (s.halves.near_pairs ? `, on near pairs (MACs within ${s.halves.near_pairs.ratio}x, ${s.halves.near_pairs.pairs} pairs) ${s.halves.near_pairs.kendall_tau.toFixed(3)}` : '') : '';
  const model = s.noise_model
    ? `; noise model: run noise ${s.noise_model.noise_std.toFixed(2)}, signal ${s.noise_model.signal_std.toFixed(2)} points, predicted tau seed ${s.noise_model.predicted_seed_tau.toFixed(2)}, halves ${s.noise_model.predicted_halves_tau.toFixed(2)}, oracle vs gt.json ${s.noise_model.predicted_oracle_tau.toFixed(2)}`
    : '';
  console.log(`GT v2: ${s.runs} runs (${(s.compute_seconds / 60).toFixed(1)} min), ${JSON.stringify(s.subnets_with)}; ${pairs.join('; ') || 'no seed pair yet'}${halves}; ` +
    `means ${s.gt_min?.toFixed(2)}..${s.gt_max?.toFixed(2)} % (std ${s.gt_std?.toFixed(2)}), median seed diff ${s.median_abs_seed_diff?.toFixed(2)} points${model}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { collect: { type: 'boolean', default: false }, limit: { type: 'string' }, backend: { type: 'string', default: 'torch' }, shard: { type: 'string', default: '0/1' } } });
  const shard = parseShard(values.shard!);
  const subnets = await gtSubnets();
  if (values.collect) {
    report(subnets);
    return;
  }
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  let runs = 0;
  for (const { subnet, seed } of selectShard(jobOrder(subnets), shard)) {
    if (runs >= limit) break;
    if (readRuns().some((r) => r.key === subnet.key && r.seed === seed)) continue;
    // Retries, RETRY_WAIT_S apart: on the shared machine a run can fail for a while (the engine
    // being rebuilt by another developer, a transient allocation failure); skipping would burn the
    // whole job list in minutes.
    let result: { acc: number; seconds: number } | null = null;
    for (let attempt = 1; attempt <= RETRIES && !result; attempt++) {
      result = await trainOne(subnet, seed, values.backend!);
      if (!result && attempt < RETRIES) {
        console.error(`${subnet.key} seed ${seed}: attempt ${attempt} failed (${lastLine(join(WORK, `seed${seed}`, subnet.key, 'train.log'))}); retrying in ${RETRY_WAIT_S} s`);
        await new Promise((r) => setTimeout(r, RETRY_WAIT_S * 1000));
      }
    }
    runs++;
    if (!result) {
      console.error(`${subnet.key} seed ${seed}: training failed ${RETRIES} times, see ${join(WORK, `seed${seed}`, subnet.key, 'train.log')}; skipped for now`);
      continue;
    }
    const line: RunLine = { key: subnet.key, arch: subnet.arch, seed, acc: result.acc, seconds: Math.round(result.seconds), macs: subnet.macs, finished_at: new Date().toISOString() };
    appendFileSync(PROGRESS_V2, `${JSON.stringify(line)}\n`);
    console.log(`${subnet.key} seed ${seed} (${(subnet.macs / 1e6).toFixed(2)} M MACs): top1 ${(100 * result.acc).toFixed(2)}% in ${Math.round(result.seconds)} s`);
    report(subnets);
  }
}

await main();
