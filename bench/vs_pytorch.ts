// tfrazor against PyTorch on the same network and machine: the max subnet of the mini ResNet space
// (code 13331111111111111111111, 272,474 parameters in both) trained at batch 64 through tfrazor's
// Runner and evaluated through its evaluator, against bench/pytorch/resnet_mini.py, alternating
// round by round in one run so that machine load hits both alike. Writes
// bench/results/vs_pytorch.json (date, engine, threads, load average, per-round figures, ratios).
// Usage: npx tsx bench/vs_pytorch.ts [--backend torch] [--threads 2] [--iters 40] [--rounds 3]
//        [--eval-images 5000] [--out bench/results/vs_pytorch.json]
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { parseToolArgs } from '../src/cli/args.js';
import { loadConfig } from '../src/cli/load_config.js';
import { initBackend } from '../src/backend/index.js';
import { buildDataLoader } from '../src/datasets/index.js';
import { buildRunner } from '../src/engine/index.js';
import { evaluateClassifier, preloadBatches, disposeBatches } from '../src/evaluation/index.js';
import { ALGORITHMS } from '../src/registry/registries.js';
import type { Algorithm } from '../src/algorithms/types.js';
import { codeSpaceOfConfig } from '../src/track1/supernet_code_space.js';
import { Logger } from '../src/services/logger.js';
import type { Classifier } from '../src/models/types.js';

const CONFIG = 'configs/mnist/resnet_mini_bignas.yaml';
const ARCH = '13331111111111111111111';
const args = parseToolArgs(process.argv.slice(2), {
  iters: { type: 'string' }, rounds: { type: 'string' }, 'eval-images': { type: 'string' }, out: { type: 'string' },
});
const iters = Number(args.values.iters ?? 40);
const rounds = Number(args.values.rounds ?? 3);
const evalImages = Number(args.values['eval-images'] ?? 5000);
const outPath = (args.values.out as string | undefined) ?? 'bench/results/vs_pytorch.json';
const threads = args.threads ?? availableParallelism();
// The first interpreter that has torch: $PYTHON, the one on PATH, Debian's (python3-torch).
const python = [process.env.PYTHON, 'python3', '/usr/bin/python3'].find((p) =>
  p !== undefined && spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) ?? 'python3';

const choice = await initBackend(args.backend ?? 'torch', (m) => console.log(m), { threads });
const { config } = await loadConfig(CONFIG, args.cfgOptions);
const architecture = (config.model as { architecture: unknown }).architecture;
const subnet = codeSpaceOfConfig(config).decode(ARCH);
const algorithm = ALGORITHMS.build<Algorithm>({ type: 'ImageClassifier', architecture: architecture as never, subnet });
const quiet = { start() {}, update() {}, stop() {} };

async function tfrazorTrain(): Promise<number> {
  const cfg = {
    ...config, model: null, val_dataloader: null, param_scheduler: [],
    train_cfg: { by_epoch: false, max_iters: iters, val_interval: 0 },
    default_hooks: { logger: { type: 'LoggerHook', interval: 1000 }, checkpoint: null },
  };
  const runner = await buildRunner(cfg, {
    workDir: '/tmp/tfrazor-bench-vs-pytorch', algorithm, logger: new Logger({ level: 'warn' }), progress: quiet,
    buildLoader: (s, { seed }) => buildDataLoader(s, { seed }),
  });
  const t0 = performance.now();
  await runner.train();
  const seconds = (performance.now() - t0) / 1000;
  await runner.close();
  return (iters * runner.trainLoader.batchSize) / seconds;
}

const testBatches = await preloadBatches(buildDataLoader(config.test_dataloader as Record<string, unknown>, { seed: 0 }), evalImages);
const evalBatch = testBatches[0]!.labels.shape[0];

async function tfrazorEval(): Promise<number> {
  const t0 = performance.now();
  const r = await evaluateClassifier(algorithm.architecture as unknown as Classifier, testBatches, { topk: [1] });
  return r.numSamples / ((performance.now() - t0) / 1000);
}

interface PyResult { img_per_s: number; params: number; threads: number; torch: string }

function pytorch(mode: 'train' | 'eval'): PyResult | null {
  const modeArgs = mode === 'train' ? ['--iters', String(iters), '--batch', '64'] : ['--iters', String(Math.ceil(evalImages / evalBatch)), '--batch', String(evalBatch)];
  const r = spawnSync(python, ['bench/pytorch/resnet_mini.py', mode, '--threads', String(threads), ...modeArgs], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`PyTorch reference unavailable (${python}: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}); install python3-torch`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as PyResult;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = [loadavg()];
await tfrazorTrain();
await tfrazorEval();
const perRound: { tfrazor_train: number; pytorch_train?: number; tfrazor_eval: number; pytorch_eval?: number }[] = [];
let torchInfo: PyResult | null = null;
for (let r = 0; r < rounds; r++) {
  const tfTrain = await tfrazorTrain();
  const ptTrain = pytorch('train');
  const tfEval = await tfrazorEval();
  const ptEval = pytorch('eval');
  torchInfo = ptTrain ?? torchInfo;
  perRound.push({ tfrazor_train: tfTrain, pytorch_train: ptTrain?.img_per_s, tfrazor_eval: tfEval, pytorch_eval: ptEval?.img_per_s });
  const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(0));
  console.log(`round ${r + 1}: train img/s tfrazor ${f(tfTrain)} pytorch ${f(ptTrain?.img_per_s)}; ` +
    `eval img/s tfrazor ${f(tfEval)} pytorch ${f(ptEval?.img_per_s)}`);
}
load.push(loadavg());
disposeBatches(testBatches);

const med = (k: keyof typeof perRound[0]) => {
  const xs = perRound.map((p) => p[k]).filter((v): v is number => v !== undefined);
  return xs.length ? median(xs) : null;
};
// Ratios of medians, and the median of per-round ratios (each round's pair ran back to back).
const roundRatio = (a: 'tfrazor_train' | 'tfrazor_eval', b: 'pytorch_train' | 'pytorch_eval') => {
  const xs = perRound.filter((p) => p[b] !== undefined).map((p) => p[a] / p[b]!);
  return xs.length ? median(xs) : null;
};
const result = {
  date: new Date().toISOString(),
  engine: choice.name, engine_detail: choice.reason, threads,
  pytorch: torchInfo ? { version: torchInfo.torch, threads: torchInfo.threads, params: torchInfo.params } : null,
  network: { config: CONFIG, arch: ARCH, train_batch: 64, eval_batch: evalBatch },
  iters, rounds, eval_images: evalImages,
  load_average_1_5_15: { start: load[0], end: load[1] },
  median_img_per_s: { tfrazor_train: med('tfrazor_train'), pytorch_train: med('pytorch_train'), tfrazor_eval: med('tfrazor_eval'), pytorch_eval: med('pytorch_eval') },
  ratio_train: roundRatio('tfrazor_train', 'pytorch_train'),
  ratio_eval: roundRatio('tfrazor_eval', 'pytorch_eval'),
  rounds_detail: perRound,
};
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(result, null, 2)}\n`);
console.log(`${choice.name}, ${threads} thread(s): train ${result.ratio_train?.toFixed(2) ?? '-'}x PyTorch, eval ${result.ratio_eval?.toFixed(2) ?? '-'}x PyTorch (median of per-round ratios) -> ${outPath}`);
