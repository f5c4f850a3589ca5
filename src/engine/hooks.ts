import { HOOKS } from '../registry/registries.js';
import type { Checkpoint } from './checkpoint.js';
import type { Runner } from './runner.js';

/**
 * Callbacks around the training loop (mmengine's hook points, camelCase). Every method is optional
 * and may be async; hooks run in ascending `priority` (default 50), then in registration order.
 */
export interface Hook {
  readonly priority?: number;
  beforeTrain?(runner: Runner): void | Promise<void>;
  beforeTrainEpoch?(runner: Runner): void | Promise<void>;
  beforeTrainIter?(runner: Runner): void | Promise<void>;
  /** After the optimizer step; `runner.iter` already counts this iteration. */
  afterTrainIter?(runner: Runner, outputs: Record<string, number>, batchSize: number): void | Promise<void>;
  /** After the last iteration of an epoch; `runner.epoch` already counts it. */
  afterTrainEpoch?(runner: Runner): void | Promise<void>;
  afterValEpoch?(runner: Runner, metrics: Record<string, number>): void | Promise<void>;
  afterTrain?(runner: Runner): void | Promise<void>;
  /** Add to a checkpoint before it is written (extra state goes under `checkpoint.state`). */
  beforeSaveCheckpoint?(runner: Runner, checkpoint: Checkpoint): void | Promise<void>;
  afterLoadCheckpoint?(runner: Runner, checkpoint: Checkpoint): void | Promise<void>;
}

export type HookPoint = Exclude<keyof Hook, 'priority'>;

export interface LoggerHookConfig {
  interval: number;
}

/** Averages of the step outputs over each interval, as log lines, `scalars.jsonl` records and progress. */
export class LoggerHook implements Hook {
  readonly priority = 80;
  readonly interval: number;
  private sums: Record<string, number> = {};
  private count = 0;
  private images = 0;
  private windowStart = 0;
  private lastIterEnd = 0;

  constructor(cfg: Partial<LoggerHookConfig> = {}) {
    this.interval = cfg.interval ?? 10;
  }

  beforeTrain(runner: Runner): void {
    runner.progress.start(runner.maxIters, 'train');
    runner.progress.update(runner.iter);
    this.resetWindow();
  }

  afterTrainIter(runner: Runner, outputs: Record<string, number>, batchSize: number): void {
    for (const [k, v] of Object.entries(outputs)) this.sums[k] = (this.sums[k] ?? 0) + v;
    this.count += 1;
    this.images += batchSize;
    const seconds = (performance.now() - this.windowStart) / 1000;
    const imgPerS = seconds > 0 ? this.images / seconds : 0;
    runner.progress.update(runner.iter, { epoch: runner.currentEpoch, loss: outputs.loss ?? NaN, lr: runner.optim.lr, 'img/s': Math.round(imgPerS) });
    // Training time ends here; what comes before the next step (validation) is measured from it.
    this.lastIterEnd = performance.now();
    if (runner.iter % this.interval !== 0 && runner.iter !== runner.maxIters) return;
    const means = Object.fromEntries(Object.entries(this.sums).map(([k, v]) => [k, v / this.count]));
    runner.scalars.write({ mode: 'train', iter: runner.iter, epoch: runner.currentEpoch, lr: runner.optim.lr, ...means, img_per_s: imgPerS, time: runner.elapsedSeconds() });
    const losses = Object.entries(means).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join('  ');
    runner.logger.info(`Epoch(train) [${runner.currentEpoch}] iter [${runner.iter}/${runner.maxIters}]  lr: ${runner.optim.lr.toExponential(4)}  ${losses}  img/s: ${imgPerS.toFixed(1)}`);
    this.resetWindow();
  }

  afterValEpoch(runner: Runner, metrics: Record<string, number>): void {
    runner.scalars.write({ mode: 'val', iter: runner.iter, epoch: runner.epoch, ...metrics, time: runner.elapsedSeconds() });
    runner.logger.info(`Epoch(val) [${runner.epoch}] iter [${runner.iter}]  ${Object.entries(metrics).map(([k, v]) => `${k}: ${(100 * v).toFixed(2)}%`).join('  ')}`);
    // Validation time is not training time: the window keeps its images and loses the seconds
    // validation took (restarting its clock alone would count earlier images over less time).
    this.windowStart += performance.now() - this.lastIterEnd;
  }

  afterTrain(runner: Runner): void {
    runner.progress.stop();
  }

  private resetWindow(): void {
    this.sums = {};
    this.count = 0;
    this.images = 0;
    this.windowStart = performance.now();
    this.lastIterEnd = this.windowStart;
  }
}

export interface CheckpointHookConfig {
  interval: number;
  by_epoch: boolean | null;
  max_keep: number;
  save_last: boolean;
}

/** Saves a resumable checkpoint every `interval` epochs or iterations and at the end. */
export class CheckpointHook implements Hook {
  readonly priority = 90;
  readonly cfg: CheckpointHookConfig;
  private lastSavedIter = -1;

  constructor(cfg: Partial<CheckpointHookConfig> = {}) {
    this.cfg = { interval: 1, by_epoch: true, max_keep: 3, save_last: true, ...cfg };
  }

  private byEpoch(runner: Runner): boolean {
    return this.cfg.by_epoch ?? runner.byEpoch;
  }

  private async save(runner: Runner, name: string): Promise<void> {
    await runner.saveCheckpoint(name, this.cfg.max_keep);
    this.lastSavedIter = runner.iter;
  }

  async afterTrainIter(runner: Runner): Promise<void> {
    if (!this.byEpoch(runner) && runner.iter % this.cfg.interval === 0) await this.save(runner, `iter_${runner.iter}`);
  }

  async afterTrainEpoch(runner: Runner): Promise<void> {
    if (this.byEpoch(runner) && runner.epoch % this.cfg.interval === 0) await this.save(runner, `epoch_${runner.epoch}`);
  }

  async afterTrain(runner: Runner): Promise<void> {
    if (!this.cfg.save_last || this.lastSavedIter === runner.iter) return;
    await this.save(runner, this.byEpoch(runner) && runner.iter % runner.itersPerEpoch === 0 ? `epoch_${runner.epoch}` : `iter_${runner.iter}`);
  }
}

HOOKS.register('LoggerHook', LoggerHook, {
  schema: {
    type: 'object',
    properties: {
      interval: { description: 'Log averaged step outputs every this many iterations.', type: 'integer', minimum: 1, default: 10 },
    },
    additionalProperties: false,
  },
});

HOOKS.register('CheckpointHook', CheckpointHook, {
  schema: {
    type: 'object',
    properties: {
      interval: { description: 'Save every this many epochs (or iterations, see by_epoch).', type: 'integer', minimum: 1, default: 1 },
      by_epoch: { description: 'Count the interval in epochs (also in iteration-based loops, as mmengine); null follows train_cfg.by_epoch.', type: ['boolean', 'null'], default: true },
      max_keep: { description: 'Keep only the newest this many checkpoints (0 or less keeps all).', type: 'integer', default: 3 },
      save_last: { description: 'Also save at the end of training.', type: 'boolean', default: true },
    },
    additionalProperties: false,
  },
});
