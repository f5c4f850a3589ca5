import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/load_config.js';
import { buildDataLoader } from '../../src/datasets/index.js';
import { buildRunner } from '../../src/engine/build_runner.js';
import type { Runner } from '../../src/engine/runner.js';
import { Logger } from '../../src/services/logger.js';

// BigNAS (max + min + one random subnet per step, in-place distillation) with a channel-warm-up-free
// uniform sampler, a shuffled loader with random flips, AdamW and clipping: every piece of state a
// resume must restore is exercised.
const CONFIG = `
model:
  type: BigNAS
  num_random_samples: 1
  architecture:
    type: ResNetSupernet
    in_channels: 1
    input_size: 6
    num_classes: 3
    width_ratios: [1.0, 0.5]
    divisor: 2
    stem: {base_channels: 4, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true}
    stages:
      - {depth_choices: [1, 2], base_channels: 4, stride: 2}
train_dataloader:
  batch_size: 3
  shuffle: true
  num_workers: 0
  dataset:
    type: Synthetic
    num_samples: 9
    image_size: [6, 6]
    num_classes: 3
    pipeline: [{type: RandomHorizontalFlip}, {type: ToTensor}]
optim_wrapper:
  optimizer: {type: AdamW, lr: 0.01}
  clip_grad: {max_norm: 1}
param_scheduler:
  - {type: LinearLR, start_factor: 0.2, end: 4, by_epoch: false}
train_cfg: {by_epoch: false, max_iters: 7, val_interval: 0}
default_hooks:
  logger: {type: LoggerHook, interval: 100}
  checkpoint: {type: CheckpointHook, interval: 4, by_epoch: false}
randomness: {seed: 11}
`;

const quiet = { start() {}, update() {}, stop() {} };

async function runner(cfgPath: string, workDir: string, maxIters: number): Promise<Runner> {
  const { config } = await loadConfig(cfgPath, [`train_cfg.max_iters=${maxIters}`]);
  return buildRunner(config, { workDir, buildLoader: (s, { seed }) => buildDataLoader(s, { seed }), logger: new Logger({ level: 'warn' }), progress: quiet });
}

const weights = (r: Runner) => Object.fromEntries(Object.entries(r.algorithm.stateDict()).map(([k, v]) => [k, Array.from(v.dataSync())]));

describe('exact resume with a real supernet, algorithm and data loader', () => {
  it('4 steps, stop, resume, 3 more steps equals 7 straight steps bit for bit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'resume-'));
    const cfg = join(dir, 'bignas.yaml');
    writeFileSync(cfg, CONFIG);
    const straight = await runner(cfg, join(dir, 'straight'), 7);
    await straight.train();
    const first = await runner(cfg, join(dir, 'split'), 4);
    await first.train();
    const second = await runner(cfg, join(dir, 'split'), 7);
    await second.resume(true);
    expect(second.iter).toBe(4);
    await second.train();
    expect(weights(second)).toEqual(weights(straight));
    expect(weights(first)).not.toEqual(weights(straight));
    expect(second.algorithm.getState()).toEqual(straight.algorithm.getState());
    for (const r of [straight, first, second]) await r.close();
  });
});
