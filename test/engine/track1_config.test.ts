import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { main } from '../../tools/train.js';
import { loadConfig } from '../../src/cli/load_config.js';
import { LrSchedule } from '../../src/engine/schedulers.js';
import { DefaultOptimWrapper, type OptimWrapperConfig } from '../../src/engine/optim/optim_wrapper.js';
import type { TypedConfig } from '../../src/registry/registry.js';
import { ResNetSupernet } from '../../src/models/resnet_supernet.js';
import { BN_SUPERNET } from '../algorithms/bn_supernet.js';

/**
 * Paddle's LinearWarmup(CosineAnnealingDecay(lr, T_max), warmup_steps, 0, lr), transcribed from
 * python/paddle/optimizer/lr.py (LRScheduler.step, LinearWarmup.get_lr, CosineAnnealingDecay
 * ._get_closed_form_lr), stepped as the Track-1 demo's LRSchedulerM steps it
 * (hnas/utils/callbacks.py:10-30): after every batch while warming up, after every epoch then.
 * Returns the lr each iteration trains with.
 */
function demoLrPerIteration(lr: number, tMax: number, warmupSteps: number, epochs: number, itersPerEpoch: number): number[] {
  const cosine = { lastEpoch: 0, lastLr: lr };
  const cosineStep = (epoch: number) => {
    cosine.lastEpoch = epoch;
    cosine.lastLr = (lr * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2; // eta_min 0, closed form
  };
  const warmup = { lastEpoch: -1, lastLr: 0 };
  const getLr = () => {
    if (warmup.lastEpoch < warmupSteps) return (lr * warmup.lastEpoch) / warmupSteps;
    cosineStep(warmup.lastEpoch - warmupSteps);
    return cosine.lastLr;
  };
  const step = () => {
    warmup.lastEpoch += 1;
    warmup.lastLr = getLr();
  };
  step(); // LRScheduler.__init__
  let warmingUp = true;
  const out: number[] = [];
  for (let e = 0; e < epochs; e++) {
    for (let b = 0; b < itersPerEpoch; b++) {
      out.push(warmup.lastLr);
      if (warmingUp) step();
      if (warmup.lastEpoch >= warmupSteps) warmingUp = false;
    }
    if (!warmingUp) step();
  }
  return out;
}

describe('configs/track1/resnet48_standalone_demo.yaml (the Track-1 demo pretrain.py recipe)', () => {
  it('resolves to momentum SGD without Nesterov, lr 0.1 at batch 256, decay 1e-4 on every parameter, plain CE', async () => {
    const { config } = await loadConfig('configs/track1/resnet48_standalone_demo.yaml');
    const optim = config.optim_wrapper as OptimWrapperConfig;
    expect(optim.optimizer).toEqual({ type: 'SGD', lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weight_decay: 1e-4 });
    expect((config.train_dataloader as { batch_size: number }).batch_size).toBe(256);
    expect(config.model).toMatchObject({ type: 'ImageClassifier', loss: { type: 'CrossEntropyLoss', label_smoothing: 0 } });
    expect(config.train_cfg).toMatchObject({ by_epoch: true, max_epochs: 90 });
    // Every parameter decays, BN scale/shift and the classifier bias included (Paddle applies
    // weight_decay to all parameters it is given). Checked on a small BN network with this wrapper config.
    const net = new ResNetSupernet(BN_SUPERNET);
    const wrapper = new DefaultOptimWrapper(optim, net);
    const decay = Object.fromEntries(wrapper.params.map((p) => [p.name, p.weightDecay]));
    expect(decay['stem.bn.gamma']).toBe(1e-4);
    expect(decay['fc.bias']).toBe(1e-4);
    expect(new Set(Object.values(decay))).toEqual(new Set([1e-4]));
    wrapper.dispose();
    net.dispose();
  });

  it("gives Paddle's LinearWarmup + CosineAnnealingDecay lr at every iteration (stepped as the demo's LRSchedulerM)", async () => {
    const { config } = await loadConfig('configs/track1/resnet48_standalone_demo.yaml');
    // ImageNet at batch 256 with drop_last: 5004 iterations per epoch; the demo's warm-up is
    // int(1281024 / 256) * 2 = 10008 iterations (pretrain.py:60), i.e. 2 epochs.
    const n = 5004;
    const schedule = LrSchedule.build(config.param_scheduler as TypedConfig[], 0.1, n);
    const paddle = demoLrPerIteration(0.1, 90, 2 * n, 90, n);
    expect(paddle).toHaveLength(90 * n);
    // Warm-up: Paddle's factor is i / (2n), tfrazor's LinearLR reaches 1 one iteration earlier
    // (i / (2n - 1)): at most 0.1 / (2n) apart. After it the two agree to rounding.
    let worstWarmup = 0;
    let worstAfter = 0;
    for (let i = 0; i < paddle.length; i++) {
      const gap = Math.abs(schedule.lrAt(i) - paddle[i]!);
      if (i < 2 * n) worstWarmup = Math.max(worstWarmup, gap);
      else worstAfter = Math.max(worstAfter, gap);
    }
    expect(worstWarmup).toBeLessThanOrEqual(0.1 / (2 * n) + 1e-15);
    expect(worstAfter).toBeLessThan(1e-15);
    // Spot values by hand: lr 0 at the first iteration, 0.05 halfway through the warm-up, the full
    // 0.1 at the start of epoch 2 scaled by the cosine of one epoch, and the last epoch at cos(88/90).
    expect(schedule.lrAt(0)).toBe(0);
    expect(schedule.lrAt(n)).toBeCloseTo(0.1 * n / (2 * n - 1), 12);
    expect(schedule.lrAt(2 * n)).toBeCloseTo((0.1 * (1 + Math.cos(Math.PI / 90))) / 2, 12);
    expect(schedule.lrAt(2 * n + n - 1)).toBe(schedule.lrAt(2 * n)); // constant within an epoch
    expect(schedule.lrAt(90 * n - 1)).toBeCloseTo((0.1 * (1 + Math.cos((88 * Math.PI) / 90))) / 2, 12);
  });
});

describe('configs/track1/resnet48_bignas.yaml (tfrazor supernet recipe)', () => {
  it('resolves to Nesterov SGD lr 0.2, decay 1e-4 without BN and biases, label smoothing 0.1, 5 warm-up epochs then cosine per iteration', async () => {
    const { config } = await loadConfig('configs/track1/resnet48_bignas.yaml');
    const optim = config.optim_wrapper as OptimWrapperConfig;
    expect(optim.optimizer).toEqual({ type: 'SGD', lr: 0.2, momentum: 0.9, dampening: 0, nesterov: true, weight_decay: 1e-4 });
    expect(optim.paramwise_cfg).toEqual({ norm_decay_mult: 0, bias_decay_mult: 0 });
    expect(config.model).toMatchObject({ type: 'BigNAS', loss: { type: 'CrossEntropyLoss', label_smoothing: 0.1 } });
    const n = 5004;
    const schedule = LrSchedule.build(config.param_scheduler as TypedConfig[], 0.2, n);
    const warm = 5 * n;
    // LinearLR from 0.01 to 1 over iterations [0, 5n - 1], then a half cosine over [5n, 90n).
    for (const i of [0, 1, warm / 2, warm - 1]) expect(schedule.lrAt(i), `iteration ${i}`).toBeCloseTo(0.2 * (0.01 + (0.99 * i) / (warm - 1)), 12);
    for (const i of [warm, warm + 1, 40 * n + 17, 90 * n - 1]) {
      expect(schedule.lrAt(i), `iteration ${i}`).toBeCloseTo((0.2 * (1 + Math.cos((Math.PI * (i - warm)) / (85 * n)))) / 2, 12);
    }
  });
});


/** A 2-class ImageFolder of small random RGB PNGs. */
async function makeImageFolder(root: string): Promise<void> {
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
  for (const cls of ['n01', 'n02']) {
    mkdirSync(join(root, cls), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const pixels = Buffer.from(Array.from({ length: 40 * 40 * 3 }, next));
      await sharp(pixels, { raw: { width: 40, height: 40, channels: 3 } }).png().toFile(join(root, cls, `img${i}.png`));
    }
  }
}

describe('configs/track1/resnet48_bignas.yaml', () => {
  it('builds the exact Track-1 recipe and runs two real BigNAS steps on a tiny image folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'track1-'));
    const root = join(dir, 'train');
    await makeImageFolder(root);
    const work = join(dir, 'work');
    const out = { text: '', write(t: string) { this.text += t; } };
    const small = [
      'train_cfg.by_epoch=false', 'train_cfg.max_iters=2', 'train_cfg.val_interval=0',
      'model.architecture.input_size=32',
      `train_dataloader.dataset.data_root=${root}`, 'train_dataloader.dataset.split.val_fraction=0.25',
      'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
      'train_dataloader.dataset.pipeline.0.size=32',
      `val_dataloader.dataset.data_root=${root}`, 'val_dataloader.dataset.split.val_fraction=0.25',
      'val_dataloader.batch_size=2', 'val_dataloader.num_workers=0',
      'val_dataloader.dataset.pipeline.0.size=36', 'val_dataloader.dataset.pipeline.1.size=32',
      'val_cfg.calibrate_sample_num=2', 'default_hooks.checkpoint=null',
    ];
    const code = await main(['configs/track1/resnet48_bignas.yaml', '--work-dir', work, '--backend', 'wasm', '--cfg-options', ...small], out);
    expect(code).toBe(0);
    const final = JSON.parse(readFileSync(join(work, 'final_metrics.json'), 'utf8'));
    expect(final.iter).toBe(2);
    expect(Object.keys(final.metrics).sort()).toEqual(['max/top1', 'max/top5', 'min/top1', 'min/top5']);
    const train = readFileSync(join(work, 'scalars.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.mode === 'train');
    expect(Number.isFinite(train.at(-1).loss)).toBe(true);
    // The recipe's schedule reached the optimizer: 6 train images at batch 2 are 3 iterations per
    // epoch, so the 5-epoch warm-up spans 15 iterations and the second iteration trains at
    // 0.2 * (0.01 + 0.99 / 14).
    expect(train.at(-1).lr).toBeCloseTo(0.2 * (0.01 + 0.99 / 14), 10);
    expect(out.text).toMatch(/max subnet: top1 .*M MACs/);
  }, 300_000);
});
