import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/load_config.js';
import { buildDataLoader } from '../../src/datasets/index.js';
import { buildRunner } from '../../src/engine/build_runner.js';
import type { Runner } from '../../src/engine/runner.js';
import { Logger } from '../../src/services/logger.js';
import type { SPOS } from '../../src/algorithms/spos.js';
import { spaceExtremes } from '../../src/algorithms/samplers/base.js';

// SPOS with channel warm-up (the allowed widths change at each epoch) and constrained sampling
// (rejections consume rng draws): a resume across an epoch boundary must restore both.
const CONFIG = `
model:
  type: SPOS
  architecture:
    type: ResNetSupernet
    in_channels: 1
    input_size: 6
    num_classes: 3
    width_ratios: [1.0, 0.75, 0.5]
    divisor: 2
    stem: {base_channels: 4, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true}
    stages:
      - {depth_choices: [1, 2], base_channels: 4, stride: 2}
  sampler: {type: ChannelWarmupSampler, warmup_epochs: 2, constraints: {macs: [null, 1]}}
train_dataloader:
  batch_size: 3
  shuffle: true
  num_workers: 0
  dataset: {type: Synthetic, num_samples: 9, image_size: [6, 6], num_classes: 3, pipeline: [{type: ToTensor}]}
optim_wrapper:
  optimizer: {type: SGD, lr: 0.05, momentum: 0.9}
train_cfg: {by_epoch: true, max_epochs: 3, val_interval: 0}
default_hooks:
  logger: {type: LoggerHook, interval: 100}
  checkpoint: {type: CheckpointHook, interval: 1}
randomness: {seed: 5}
`;

const quiet = { start() {}, update() {}, stop() {} };

async function runner(cfgPath: string, workDir: string, maxEpochs: number, macsHi: number): Promise<Runner> {
  const { config } = await loadConfig(cfgPath, [`train_cfg.max_epochs=${maxEpochs}`, `model.sampler.constraints.macs.1=${macsHi}`]);
  return buildRunner(config, { workDir, buildLoader: (s, { seed }) => buildDataLoader(s, { seed }), logger: new Logger({ level: 'warn' }), progress: quiet });
}

const weights = (r: Runner) => Object.fromEntries(Object.entries(r.algorithm.stateDict()).map(([k, v]) => [k, Array.from(v.dataSync())]));

describe('SPOS with warm-up and constraints through the runner', () => {
  it('1 epoch, stop, resume, 2 more equals 3 straight epochs bit for bit (sampler state included)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spos-resume-'));
    try {
      const cfg = join(dir, 'spos.yaml');
      writeFileSync(cfg, CONFIG);
      const probe = await runner(cfg, join(dir, 'probe'), 1, 1e12);
      const space = spaceExtremes((probe.algorithm as SPOS).supernet);
      await probe.close();
      // Exclude the max subnet (half the draws of epoch 0, widest only): rejections consume rng draws.
      const hi = space.max.macs - 1;

      const straight = await runner(cfg, join(dir, 'straight'), 3, hi);
      await straight.train();
      const first = await runner(cfg, join(dir, 'split'), 1, hi);
      await first.train();
      const second = await runner(cfg, join(dir, 'split'), 3, hi);
      await second.resume(true);
      expect(second.epoch).toBe(1);
      expect(second.algorithm.getState()).toEqual(first.algorithm.getState());
      await second.train();
      expect(weights(second)).toEqual(weights(straight));
      const state = straight.algorithm.getState() as { sampler: { draws: number; rejected: number; stage_epoch: number } };
      expect(second.algorithm.getState()).toEqual(state);
      expect(state.sampler.stage_epoch).toBe(2);
      expect(state.sampler.rejected).toBeGreaterThan(0);
      expect(state.sampler.draws - state.sampler.rejected).toBe(9);
      for (const r of [straight, first, second]) await r.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
