import { mkdtempSync, readFileSync, truncateSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import '../../src/engine/index.js';
import { HOOKS } from '../../src/registry/registries.js';
import { buildRunner, type LoaderFactory } from '../../src/engine/build_runner.js';
import { TrainingInterruptedError, type Runner } from '../../src/engine/runner.js';
import { Logger } from '../../src/services/logger.js';
import type { ProgressReporter } from '../../src/services/progress.js';
import { TinyLoader, type TinyAlgorithm } from './fixtures.js';

const memoryCounts: number[] = [];
class MemoryProbe {
  afterTrainIter(): void {
    memoryCounts.push(tf.memory().numTensors);
  }
}
if (!HOOKS.has('test/MemoryProbe')) HOOKS.register('test/MemoryProbe', MemoryProbe);

// Runners that a test wants stopped (as by Ctrl-C) once they reach an iteration.
const stopAt = new Map<Runner, number>();
class StopProbe {
  afterTrainIter(r: Runner): void {
    if (stopAt.get(r) === r.iter) r.requestStop();
  }
}
if (!HOOKS.has('test/StopProbe')) HOOKS.register('test/StopProbe', StopProbe);

const quietProgress: ProgressReporter = { start() {}, update() {}, stop() {} };

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: { type: 'test/TinyAlgorithm', architecture: { hidden: 6 } },
    train_dataloader: { size: 24 },
    val_dataloader: { size: 12 },
    optim_wrapper: {
      optimizer: { type: 'SGD', lr: 0.2, momentum: 0.9, nesterov: true, weight_decay: 1e-3 },
      clip_grad: { max_norm: 5 },
      paramwise_cfg: { norm_decay_mult: 0, bias_decay_mult: 0 },
    },
    param_scheduler: [
      { type: 'LinearLR', start_factor: 0.25, begin: 0, end: 4, by_epoch: false },
      { type: 'CosineAnnealingLR', T_max: 3, by_epoch: true, convert_to_iter_based: true },
    ],
    train_cfg: { by_epoch: true, max_epochs: 3, val_interval: 1 },
    val_cfg: { topk: [1, 2] },
    default_hooks: { logger: { type: 'LoggerHook', interval: 2 }, checkpoint: { type: 'CheckpointHook', interval: 2, by_epoch: false, max_keep: 2 } },
    randomness: { seed: 5 },
    custom_hooks: [{ type: 'test/StopProbe' }],
    ...overrides,
  };
}

const loaders: LoaderFactory = (section, { role }) => new TinyLoader(section.size as number, 4, role === 'val' ? 99 : 7);

async function runner(workDir: string, cfg = config()): Promise<Runner> {
  return buildRunner(cfg, { workDir, buildLoader: loaders, logger: new Logger({ level: 'warn' }), progress: quietProgress });
}

function weights(r: Runner): number[] {
  return Object.values(r.algorithm.stateDict()).flatMap((v) => Array.from(v.dataSync()));
}

describe('Runner', () => {
  it('trains epoch-based, logs scalars, validates and writes final metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-'));
    const r = await runner(dir);
    const final = await r.train();
    expect(r.iter).toBe(18);
    expect(r.epoch).toBe(3);
    expect(final.metrics.top1).toBeGreaterThan(0.9);
    const lines = readFileSync(join(dir, 'scalars.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const train = lines.filter((l) => l.mode === 'train');
    expect(train.map((l) => l.iter)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(train[0].epoch).toBe(1);
    // Logged after iteration 2 ran at iteration index 1: warm-up factor 0.5 times the cosine over 18 iterations.
    expect(train[0].lr).toBeCloseTo(0.2 * 0.5 * ((1 + Math.cos(Math.PI / 18)) / 2), 12);
    expect(typeof train[0].loss).toBe('number');
    expect(train[0].img_per_s).toBeGreaterThan(0);
    expect(lines.filter((l) => l.mode === 'val').length).toBe(3);
    expect(JSON.parse(readFileSync(join(dir, 'final_metrics.json'), 'utf8')).metrics.top1).toBe(final.metrics.top1);
    expect(r.store.list().map((p) => p.slice(dir.length + 1))).toEqual(['iter_16.ckpt', 'iter_18.ckpt']);
    await r.close();
  });

  it('resumes bit for bit: k steps, stop, resume, continue equals a straight run', async () => {
    const iterCfg = (max: number) => config({ train_cfg: { by_epoch: false, max_iters: max, val_interval: 0 }, val_dataloader: null });
    const straight = await runner(mkdtempSync(join(tmpdir(), 'run-')), iterCfg(15));
    await straight.train();
    const dir = mkdtempSync(join(tmpdir(), 'run-'));
    const first = await runner(dir, iterCfg(7));
    await first.train();
    // Resuming a later run from the checkpoint written at iteration 7 (mid-epoch: 6 batches per epoch).
    const second = await runner(dir, iterCfg(15));
    await second.resume(true);
    expect(second.iter).toBe(7);
    expect((second.algorithm as TinyAlgorithm).steps).toBe(7);
    await second.train();
    expect(weights(second)).toEqual(weights(straight));
    expect(second.optim.getState()).toEqual(straight.optim.getState());
    expect(second.rng.getState()).toEqual(straight.rng.getState());
    for (const r of [straight, first, second]) await r.close();
  });

  it('stops on request after saving a checkpoint that resumes exactly', async () => {
    const iterCfg = (max: number) => config({ train_cfg: { by_epoch: false, max_iters: max, val_interval: 0 }, val_dataloader: null, default_hooks: { checkpoint: null } });
    const straight = await runner(mkdtempSync(join(tmpdir(), 'run-')), iterCfg(9));
    await straight.train();
    const dir = mkdtempSync(join(tmpdir(), 'run-'));
    const first = await runner(dir, iterCfg(9));
    stopAt.set(first, 3);
    await expect(first.train()).rejects.toThrow(TrainingInterruptedError);
    expect(existsSync(join(dir, 'iter_3.ckpt'))).toBe(true);
    const second = await runner(dir, iterCfg(9));
    await second.resume(true);
    await second.train();
    expect(weights(second)).toEqual(weights(straight));
    for (const r of [straight, first, second]) await r.close();
  });

  it('falls back to the previous checkpoint when the latest is truncated, saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-'));
    const cfg = config({ train_cfg: { by_epoch: false, max_iters: 6, val_interval: 0 }, val_dataloader: null });
    const r = await runner(dir, cfg);
    await r.train();
    truncateSync(join(dir, 'iter_6.ckpt'), 50);
    const lines: string[] = [];
    const resumed = await buildRunner(cfg, { workDir: dir, buildLoader: loaders, logger: new Logger({ level: 'info', stream: { write: (t: string) => lines.push(t) } }), progress: quietProgress });
    await resumed.resume(true);
    expect(resumed.iter).toBe(4);
    expect(lines.join('')).toMatch(/iter_6.ckpt is corrupt or truncated.*Falling back to the previous checkpoint/);
    expect(lines.join('')).toMatch(/Resumed from .*iter_4.ckpt/);
    await expect(resumed.resume(join(dir, 'iter_6.ckpt'))).rejects.toThrow(/corrupt or truncated/);
    for (const x of [r, resumed]) await x.close();
  });

  it('keeps tf.memory().numTensors flat over 50 steps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-'));
    const cfg = config({
      train_cfg: { by_epoch: false, max_iters: 50, val_interval: 0 },
      val_dataloader: null,
      default_hooks: { checkpoint: null },
      custom_hooks: [{ type: 'test/MemoryProbe' }],
      optim_wrapper: { optimizer: { type: 'AdamW', lr: 0.01 }, clip_grad: { max_norm: 1 } },
    });
    const warm = await runner(dir, { ...cfg, train_cfg: { by_epoch: false, max_iters: 1, val_interval: 0 } });
    await warm.train();
    const before = tf.memory().numTensors;
    const r = await runner(dir, cfg);
    await r.train();
    // The new run adds its own model (params + buffers) and AdamW's two slots per parameter, nothing per step.
    const model = Object.keys(r.algorithm.stateDict()).length;
    expect(tf.memory().numTensors).toBe(before + model + 2 * r.optim.params.length);
    // The probe ran in both runs; within the 50-step run the count is the same after every step.
    const steps = memoryCounts.slice(-50);
    expect(new Set(steps).size).toBe(1);
    expect(existsSync(join(dir, 'iter_50.ckpt'))).toBe(false);
    await r.close();
    await warm.close();
  });
});
