// Iteration-based training (train_cfg.by_epoch: false): validation is not run after every
// iteration by default, and the logged img/s is the training rate, validation left out.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/engine/index.js';
import { HOOKS } from '../../src/registry/registries.js';
import { buildRunner, DEFAULT_ITER_VAL_INTERVAL, type LoaderFactory } from '../../src/engine/build_runner.js';
import { Logger } from '../../src/services/logger.js';
import type { ProgressReporter } from '../../src/services/progress.js';
import { TinyLoader } from './fixtures.js';

const STEP_MS = 50;
const VAL_MS = 500;
const cell = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(cell, 0, 0, ms);
// Before the logger (priority 80), so the logger's clock sees a slow step and a slow validation.
class SlowStep {
  readonly priority = 10;
  afterTrainIter(): void {
    sleep(STEP_MS);
  }
}
class SlowValidation {
  readonly priority = 10;
  afterValEpoch(): void {
    sleep(VAL_MS);
  }
}
if (!HOOKS.has('test/SlowStep')) HOOKS.register('test/SlowStep', SlowStep);
if (!HOOKS.has('test/SlowValidation')) HOOKS.register('test/SlowValidation', SlowValidation);

const quiet: ProgressReporter = { start() {}, update() {}, stop() {} };
const loaders: LoaderFactory = (section, { role }) => new TinyLoader(section.size as number, 4, role === 'val' ? 99 : 7);

function config(trainCfg: Record<string, unknown>, hooks: string[] = []): Record<string, unknown> {
  return {
    model: { type: 'test/TinyAlgorithm', architecture: { hidden: 6 } },
    train_dataloader: { size: 32 },
    val_dataloader: { size: 12 },
    optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 } },
    param_scheduler: [],
    train_cfg: trainCfg,
    val_cfg: { topk: [1] },
    default_hooks: { logger: { type: 'LoggerHook', interval: 4 } },
    custom_hooks: hooks.map((type) => ({ type })),
    randomness: { seed: 1 },
  };
}

async function train(cfg: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'iter-based-'));
  const runner = await buildRunner(cfg, { workDir: dir, buildLoader: loaders, logger: new Logger({ level: 'warn' }), progress: quiet });
  await runner.train();
  await runner.close();
  return readFileSync(join(dir, 'scalars.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>);
}

describe('iteration-based training', () => {
  it(`validates every ${DEFAULT_ITER_VAL_INTERVAL} iterations by default, not after each one`, async () => {
    const lines = await train(config({ by_epoch: false, max_iters: 6 }));
    expect(lines.filter((l) => l.mode === 'val').map((l) => l.iter)).toEqual([6]);
    const explicit = await train(config({ by_epoch: false, max_iters: 6, val_interval: 2 }));
    expect(explicit.filter((l) => l.mode === 'val').map((l) => l.iter)).toEqual([2, 4, 6]);
    const byEpoch = await train(config({ by_epoch: true, max_epochs: 2 }));
    expect(byEpoch.filter((l) => l.mode === 'val').map((l) => l.iter)).toEqual([8, 16]);
  });

  it('logs img/s as images over training time, with validations inside the window left out', async () => {
    // Validation at iterations 2 and 6 falls inside the logging windows 1-4 and 5-8.
    const lines = await train(config({ by_epoch: false, max_iters: 8, val_interval: 2 }, ['test/SlowStep', 'test/SlowValidation']));
    const rates = lines.filter((l) => l.mode === 'train').map((l) => Number(l.img_per_s));
    const ceiling = 4 / (STEP_MS / 1000); // 4 images per step, each step at least STEP_MS
    expect(rates).toHaveLength(2);
    for (const rate of rates) {
      // Counting a window's images over the time since its validation would about double it;
      // counting the validation's 500 ms would cut it to about a quarter. A loaded machine slows
      // the steps themselves (0.52 of the ceiling seen with both cores busy), so the floor sits
      // between that and a quarter.
      expect(rate).toBeLessThanOrEqual(ceiling * 1.02);
      expect(rate).toBeGreaterThan(ceiling * 0.35);
    }
  });
});
