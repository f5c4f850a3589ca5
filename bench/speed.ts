// Speed benchmarks (npm run bench:speed): each part runs in its own process and the figures go to
// bench/results/speed.json. Parts (--only a,b to rerun some; the others keep their last figures):
//   overhead    Runner vs hand-written tfjs loop img/s on one fixed network (bench/train_overhead.ts)
//   scoring     Track-1 scoring subnets/min of tools/track1/score.ts on the mini space's 30 GT subnets
//   complexity  tools/analysis/complexity.ts over the 45,000 official Track-1 codes
//   tensors     tf.memory().numTensors over 1,000 SPOS training steps (bench/speed/tensor_count.ts)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../src/track1/atomic_write.js';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(ROOT, 'work_dirs', 'bench_speed');
const RESULT = join(ROOT, 'bench', 'results', 'speed.json');
const PARTS = ['overhead', 'scoring', 'complexity', 'tensors'] as const;
type Part = (typeof PARTS)[number];

interface Ran {
  rc: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

function run(args: string[]): Promise<Ran> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (rc) => done({ rc: rc ?? 1, stdout, stderr, seconds: (performance.now() - t0) / 1000 }));
  });
}

function must(ran: Ran, what: string): Ran {
  if (ran.rc !== 0) throw new Error(`${what} failed (exit ${ran.rc}):\n${ran.stderr.slice(-2000)}`);
  return ran;
}

const num = (re: RegExp, text: string, what: string): number => {
  const m = re.exec(text);
  if (!m) throw new Error(`Cannot find ${what} in:\n${text.slice(-1500)}`);
  return Number(m[1]);
};

async function overhead(): Promise<Record<string, unknown>> {
  // Rounds of 20 iterations vary by +-30% on this machine; longer rounds and a median of 5 settle it.
  const iters = 60;
  const rounds = 5;
  const config = 'configs/mnist/resnet_mini_bignas.yaml';
  const ran = must(await run(['bench/train_overhead.ts', '--backend', 'wasm', '--iters', String(iters), '--rounds', String(rounds), '--config', config]), 'bench/train_overhead.ts');
  return {
    command: `npx tsx bench/train_overhead.ts --backend wasm --iters ${iters} --rounds ${rounds} --config ${config}`,
    network: `max subnet of ${config} (ImageClassifier), batch 64, MNIST`,
    // The summary line (medians), not the per-round lines printed before it.
    runner_img_per_s: num(/^runner ([\d.]+) img\/s, hand-written loop/m, ran.stdout, 'runner img/s'),
    hand_written_img_per_s: num(/^runner [\d.]+ img\/s, hand-written loop ([\d.]+) img\/s/m, ran.stdout, 'hand-written img/s'),
    ratio: num(/, ratio ([\d.]+)/, ran.stdout, 'ratio'),
  };
}

async function scoring(): Promise<Record<string, unknown>> {
  const config = 'configs/bench/spos_mini.yaml';
  const workDir = join(WORK, 'spos_1iter');
  // Scoring time does not depend on the weights: a supernet checkpoint after one iteration will do.
  const ckpt = join(workDir, 'last_checkpoint');
  if (!existsSync(ckpt)) {
    must(await run(['tools/train.ts', config, '--work-dir', workDir, '--backend', 'wasm', '--cfg-options', 'train_cfg.max_iters=1', 'val_cfg.calibrate_sample_num=100', 'val_dataloader.max_samples=500']), 'tools/train.ts (1 iteration)');
  }
  const checkpoint = resolve(workDir, readFileSync(ckpt, 'utf8').trim());
  const out = join(WORK, 'scores.json');
  rmSync(out, { force: true });
  rmSync(`${out}.progress.jsonl`, { force: true });
  const archs = 'bench/ranking/gt/subnets.json';
  const ran = must(await run(['tools/track1/score.ts', config, checkpoint, '--archs', archs, '--out', out, '--backend', 'wasm']), 'tools/track1/score.ts');
  const report = JSON.parse(ran.stdout.split('\n').find((l) => l.startsWith('{'))!) as {
    scored: number; val_samples: number; calib_samples: number; seconds_per_subnet: { total: number; set: number; calibrate: number; validate: number };
  };
  const s = report.seconds_per_subnet;
  return {
    command: `npx tsx tools/track1/score.ts ${config} CKPT --archs ${archs} --out OUT --backend wasm`,
    subnets: report.scored,
    val_samples: report.val_samples,
    calib_samples: report.calib_samples,
    subnets_per_min: Number((60 / s.total).toFixed(2)),
    seconds_per_subnet: { total: s.total, set: s.set, calibrate: s.calibrate, validate: s.validate },
    process_seconds: Number(ran.seconds.toFixed(1)),
  };
}

async function complexity(): Promise<Record<string, unknown>> {
  const config = 'configs/_base_/supernets/resnet48_track1.yaml';
  const archs = 'data/track1/CVPR_2022_NAS_Track1_test.json';
  const ran = must(await run(['tools/analysis/complexity.ts', config, '--archs', archs, '--out', join(WORK, 'complexity.json')]), 'tools/analysis/complexity.ts');
  return {
    command: `npx tsx tools/analysis/complexity.ts ${config} --archs ${archs} --out OUT`,
    codes: num(/(\d+) architectures counted/, ran.stderr, 'count'),
    seconds: num(/counted in ([\d.]+) s/, ran.stderr, 'seconds'),
    cpu_seconds: num(/cpu ([\d.]+) s/, ran.stderr, 'cpu seconds'),
    process_seconds_with_startup: Number(ran.seconds.toFixed(2)),
  };
}

async function tensors(): Promise<Record<string, unknown>> {
  const ran = must(await run(['bench/speed/tensor_count.ts', '--steps', '1000', '--batch', '8']), 'bench/speed/tensor_count.ts');
  const r = JSON.parse(ran.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  return { command: 'npx tsx bench/speed/tensor_count.ts --steps 1000 --batch 8', ...r };
}

const RUNNERS: Record<Part, () => Promise<Record<string, unknown>>> = { overhead, scoring, complexity, tensors };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const parts = (values.only ? values.only.split(',') : [...PARTS]) as Part[];
  for (const p of parts) if (!PARTS.includes(p)) throw new Error(`--only takes ${PARTS.join(', ')}; got ${p}.`);
  mkdirSync(WORK, { recursive: true });
  const result = (existsSync(RESULT) ? JSON.parse(readFileSync(RESULT, 'utf8')) : {}) as Record<string, unknown>;
  for (const part of parts) {
    const load = loadavg()[0]!;
    console.log(`[${part}] running (1-min load average ${load.toFixed(1)} on ${cpus().length} cores)`);
    const started = new Date().toISOString();
    const figures = await RUNNERS[part]();
    result[part] = { ...figures, date: started, load_average_1min: Number(load.toFixed(1)) };
    console.log(`[${part}] ${JSON.stringify(result[part])}`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    result.machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', backend: 'wasm (TensorFlow.js 4.22 + tfrazor training kernels)', node: process.version };
    writeFileAtomic(RESULT, `${JSON.stringify(result, null, 2)}\n`);
  }
}

await main();
