// Live tf tensors over a long training run: the mini-space SPOS supernet (a different random subnet
// every step) trained for --steps iterations by the Runner, tf.memory().numTensors sampled by a
// hook. Prints one JSON line. Usage: npx tsx bench/speed/tensor_count.ts [--steps 1000] [--batch 16]
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { tf } from '../../src/tf.js';
import { loadConfig } from '../../src/cli/load_config.js';
import { initBackend } from '../../src/backend/index.js';
import { buildDataLoader } from '../../src/datasets/index.js';
import { buildRunner } from '../../src/engine/index.js';
import type { Hook } from '../../src/engine/hooks.js';
import { HOOKS } from '../../src/registry/registries.js';
import { Logger } from '../../src/services/logger.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '1000' }, batch: { type: 'string', default: '16' } } });
const steps = Number(values.steps);
const samples: { iter: number; tensors: number }[] = [];

class TensorCountHook implements Hook {
  afterTrainIter(runner: { iter: number }): void {
    if (runner.iter === 1 || runner.iter % 100 === 0 || runner.iter === steps) samples.push({ iter: runner.iter, tensors: tf.memory().numTensors });
  }
}
HOOKS.register('TensorCountHook', TensorCountHook, { schema: { type: 'object', properties: {}, additionalProperties: false } });

await initBackend('wasm', () => undefined);
const { config } = await loadConfig('configs/bench/spos_mini.yaml');
const cfg = {
  ...config,
  val_dataloader: null,
  train_dataloader: { ...(config.train_dataloader as object), batch_size: Number(values.batch) },
  param_scheduler: [],
  train_cfg: { by_epoch: false, max_iters: steps, val_interval: 0 },
  default_hooks: { logger: null, checkpoint: null },
  custom_hooks: [{ type: 'TensorCountHook' }],
};
const quiet = { start() {}, update() {}, stop() {} };
const before = tf.memory().numTensors;
const runner = await buildRunner(cfg, { workDir: '/tmp/tfrazor-bench-tensors', buildLoader: (s, { seed }) => buildDataLoader(s, { seed }), logger: new Logger({ level: 'warn' }), progress: quiet });
const built = tf.memory().numTensors;
const t0 = performance.now();
await runner.train();
const seconds = (performance.now() - t0) / 1000;
const after = tf.memory().numTensors;
await runner.close();
const first = samples[0]!.tensors;
const last = samples.at(-1)!.tensors;
console.log(JSON.stringify({ steps, batch: Number(values.batch), before_build: before, after_build: built, at_step_1: first, at_last_step: last, growth_step_1_to_last: last - first, after_train: after, samples, seconds: Number(seconds.toFixed(1)) }));
