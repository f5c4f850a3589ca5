// Framework overhead of training: img/s of the Runner training a fixed network versus a hand-written
// tfjs loop (optimizer.minimize) training the same network on the same batches, in one process on
// one backend, alternating rounds so that machine load affects both alike.
// Usage: npx tsx bench/train_overhead.ts [--backend wasm] [--iters 20] [--rounds 3] [--config C]
import 'reflect-metadata';
import type { Scalar } from '@tensorflow/tfjs';
import { tf } from '../src/tf.js';
import { parseToolArgs } from '../src/cli/args.js';
import { loadConfig } from '../src/cli/load_config.js';
import { initBackend } from '../src/backend/index.js';
import { buildDataLoader } from '../src/datasets/index.js';
import { buildRunner } from '../src/engine/index.js';
import { CrossEntropyLoss } from '../src/engine/losses.js';
import { ALGORITHMS } from '../src/registry/registries.js';
import type { Algorithm } from '../src/algorithms/types.js';
import { Logger } from '../src/services/logger.js';
import type { DataLoader } from '../src/datasets/types.js';

const args = parseToolArgs(process.argv.slice(2), { iters: { type: 'string' }, rounds: { type: 'string' }, config: { type: 'string' } });
const iters = Number(args.values.iters ?? 20);
const rounds = Number(args.values.rounds ?? 3);
const configPath = (args.values.config as string | undefined) ?? 'configs/mnist/resnet_mini_bignas.yaml';
await initBackend(args.backend ?? 'wasm', () => undefined);

const { config } = await loadConfig(configPath, args.cfgOptions);
const model = config.model as { architecture: unknown; loss?: unknown };
// The max subnet of the supernet, trained as one fixed network by both loops.
const algorithm = ALGORITHMS.build<Algorithm>({ type: 'ImageClassifier', architecture: model.architecture as never });
const trainSection = config.train_dataloader as Record<string, unknown>;
const quiet = { start() {}, update() {}, stop() {} };

async function runnerRound(): Promise<number> {
  const cfg = {
    ...config,
    model: null,
    val_dataloader: null,
    param_scheduler: [],
    train_cfg: { by_epoch: false, max_iters: iters, val_interval: 0 },
    default_hooks: { logger: { type: 'LoggerHook', interval: 1000 }, checkpoint: null },
  };
  const runner = await buildRunner(cfg, {
    workDir: '/tmp/tfrazor-bench-overhead',
    algorithm,
    buildLoader: (s, { seed }) => buildDataLoader(s, { seed }),
    logger: new Logger({ level: 'warn' }),
    progress: quiet,
  });
  const t0 = performance.now();
  await runner.train();
  const seconds = (performance.now() - t0) / 1000;
  await runner.close();
  return (iters * runner.trainLoader.batchSize) / seconds;
}

async function handRound(): Promise<number> {
  const loader: DataLoader = buildDataLoader(trainSection, { seed: 0 });
  const arch = algorithm.architecture;
  const params = arch.parameters();
  const lr = ((config.optim_wrapper as { optimizer: { lr: number } }).optimizer).lr;
  const optimizer = tf.train.momentum(lr, 0.9, true);
  const loss = new CrossEntropyLoss({ label_smoothing: 0.1 });
  arch.train();
  const t0 = performance.now();
  let n = 0;
  let images = 0;
  for await (const batch of loader) {
    const cost = optimizer.minimize(() => loss.forward(arch.forward(batch.images), batch.labels) as Scalar, true, params);
    cost!.dataSync();
    cost!.dispose();
    images += batch.labels.shape[0];
    batch.images.dispose();
    batch.labels.dispose();
    if (++n === iters) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  optimizer.dispose();
  await loader.close();
  return images / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
await runnerRound();
await handRound();
const runnerRates: number[] = [];
const handRates: number[] = [];
for (let r = 0; r < rounds; r++) {
  runnerRates.push(await runnerRound());
  handRates.push(await handRound());
  console.log(`round ${r + 1}: runner ${runnerRates.at(-1)!.toFixed(1)} img/s, hand-written ${handRates.at(-1)!.toFixed(1)} img/s`);
}
const ratio = median(runnerRates) / median(handRates);
console.log(`backend ${tf.getBackend()}, ${iters} iterations x ${rounds} rounds of ${configPath} (max subnet, batch ${trainSection.batch_size}):`);
console.log(`runner ${median(runnerRates).toFixed(1)} img/s, hand-written loop ${median(handRates).toFixed(1)} img/s, ratio ${ratio.toFixed(3)}`);
