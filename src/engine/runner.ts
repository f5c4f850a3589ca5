import { join } from 'node:path';
import { tf } from '../tf.js';
import type { Algorithm, TrainContext } from '../algorithms/types.js';
import type { DataLoader, LoaderState } from '../datasets/types.js';
import { preloadBatches, disposeBatches } from '../evaluation/batches.js';
import type { Batch } from '../datasets/types.js';
import type { Logger } from '../services/logger.js';
import type { ProgressReporter } from '../services/progress.js';
import { Rng } from '../services/rng.js';
import { CheckpointStore, writeFileAtomic, type Checkpoint } from './checkpoint.js';
import type { Hook, HookPoint } from './hooks.js';
import type { DefaultOptimWrapper } from './optim/optim_wrapper.js';
import type { LrSchedule } from './schedulers.js';
import { ScalarWriter } from './scalars.js';
import type { TrainCfg, ValCfg } from './sections.js';
import { captureCheckpoint, restoreCheckpoint } from './training_state.js';
import { searchableSupernet, validateArchitecture } from './validation.js';

export class TrainConfigError extends Error {
  override readonly name = 'TrainConfigError';
  readonly isUserError = true;
}

/** Training stopped on request (Ctrl-C) after saving a checkpoint to resume from. */
export class TrainingInterruptedError extends Error {
  override readonly name = 'TrainingInterruptedError';
  readonly isUserError = true;
  constructor(readonly checkpoint: string, iter: number) {
    super(`Training interrupted after iteration ${iter}; saved ${checkpoint}. Continue with --resume.`);
  }
}

/** Everything a Runner drives, already built (see buildRunner for building it from a config). */
export interface RunnerParts {
  algorithm: Algorithm;
  optim: DefaultOptimWrapper;
  schedule: LrSchedule;
  trainLoader: DataLoader;
  valLoader?: DataLoader;
  /** A second train loader read only for BN re-calibration during validation. */
  calibrationLoader?: DataLoader;
  hooks: Hook[];
  trainCfg: TrainCfg;
  valCfg: ValCfg;
  seed: number;
  workDir: string;
  logger: Logger;
  progress: ProgressReporter;
  /** Stored in checkpoints for reference. */
  config?: unknown;
}

/** What training ends with; also written to `work_dir/final_metrics.json`. */
export interface FinalMetrics {
  iter: number;
  epoch: number;
  metrics: Record<string, number>;
  /** Complexity of the validated subnets of a supernet, by name. */
  subnets?: Record<string, { macs: number; params: number }>;
  seconds: number;
}

/**
 * The training loop: one global iteration counter from which the epoch, the loader position and
 * the learning rate are derived, so resuming from any checkpoint continues exactly. Epoch-based
 * (train_cfg.max_epochs) or iteration-based (max_iters) only changes the bound and when hooks fire.
 */
export class Runner {
  readonly algorithm: Algorithm;
  readonly optim: DefaultOptimWrapper;
  readonly schedule: LrSchedule;
  readonly trainLoader: DataLoader;
  readonly valLoader?: DataLoader;
  readonly workDir: string;
  readonly logger: Logger;
  readonly progress: ProgressReporter;
  readonly store: CheckpointStore;
  readonly scalars: ScalarWriter;
  readonly rng: Rng;
  readonly byEpoch: boolean;
  readonly itersPerEpoch: number;
  readonly maxIters: number;
  readonly maxEpochs?: number;
  /** Completed iterations. */
  iter = 0;
  /** Completed epochs. */
  epoch = 0;
  lastValMetrics: Record<string, number> = {};
  private readonly hooks: Hook[];
  private readonly parts: RunnerParts;
  private startedAt = performance.now();
  private stopRequested = false;

  constructor(parts: RunnerParts) {
    this.parts = parts;
    this.algorithm = parts.algorithm;
    this.optim = parts.optim;
    this.schedule = parts.schedule;
    this.trainLoader = parts.trainLoader;
    this.valLoader = parts.valLoader;
    this.workDir = parts.workDir;
    this.logger = parts.logger;
    this.progress = parts.progress;
    this.hooks = [...parts.hooks].sort((a, b) => (a.priority ?? 50) - (b.priority ?? 50));
    this.store = new CheckpointStore(parts.workDir);
    this.scalars = new ScalarWriter(join(parts.workDir, 'scalars.jsonl'));
    this.rng = new Rng(parts.seed);
    const { by_epoch, max_epochs, max_iters } = parts.trainCfg;
    this.byEpoch = by_epoch;
    this.itersPerEpoch = parts.trainLoader.length;
    if (this.itersPerEpoch < 1) throw new TrainConfigError('train_dataloader yields no batch per epoch; check its dataset and batch_size.');
    if (by_epoch && max_epochs === undefined) throw new TrainConfigError('train_cfg.by_epoch is true but train_cfg.max_epochs is not set; set max_epochs, or by_epoch: false with max_iters.');
    if (!by_epoch && max_iters === undefined) throw new TrainConfigError('train_cfg.by_epoch is false but train_cfg.max_iters is not set.');
    this.maxEpochs = by_epoch ? max_epochs : undefined;
    const bound = [max_epochs !== undefined && by_epoch ? max_epochs * this.itersPerEpoch : Infinity, max_iters ?? Infinity];
    this.maxIters = Math.min(...bound);
  }

  /** 1-based epoch the next (or current) iteration belongs to. */
  get currentEpoch(): number {
    return Math.floor(Math.max(0, this.iter - 1) / this.itersPerEpoch) + 1;
  }

  elapsedSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  private async call<P extends HookPoint>(point: P, ...args: unknown[]): Promise<void> {
    for (const hook of this.hooks) {
      const fn = hook[point] as ((...a: unknown[]) => unknown) | undefined;
      if (fn) await fn.call(hook, this, ...args);
    }
  }

  private loaderPosition(): LoaderState {
    return { epoch: Math.floor(this.iter / this.itersPerEpoch), batchIndex: this.iter % this.itersPerEpoch };
  }

  private context(): TrainContext {
    return {
      epoch: Math.floor(this.iter / this.itersPerEpoch),
      iter: this.iter,
      maxIters: this.maxIters,
      maxEpochs: this.maxEpochs,
      itersPerEpoch: this.itersPerEpoch,
      rng: this.rng,
      optim: this.optim,
    };
  }

  async saveCheckpoint(name: string, maxKeep?: number): Promise<string> {
    const ckpt = captureCheckpoint({
      algorithm: this.algorithm,
      optim: this.optim,
      rng: this.rng,
      loaderState: this.loaderPosition(),
      epoch: this.epoch,
      iter: this.iter,
      config: this.parts.config,
      extra: { val_metrics: this.lastValMetrics },
    });
    await this.call('beforeSaveCheckpoint', ckpt);
    const path = await this.store.save(name, ckpt, { maxKeep });
    this.logger.info(`Saved checkpoint ${path} (epoch ${this.epoch}, iter ${this.iter}).`);
    return path;
  }

  /** Restore a training state: `true` for the latest intact checkpoint of work_dir, or a path. */
  async resume(from: true | string): Promise<Checkpoint | null> {
    let path: string;
    let ckpt: Checkpoint;
    if (from === true) {
      const loaded = await this.store.loadLatest((_path, err) => this.logger.warn(`${err.message} Falling back to the previous checkpoint.`));
      if (loaded === null) {
        this.logger.warn(`--resume: no checkpoint in ${this.workDir}; starting from scratch.`);
        return null;
      }
      ({ path, checkpoint: ckpt } = loaded);
    } else {
      path = from;
      ckpt = await this.store.load(from);
    }
    const pos = restoreCheckpoint(ckpt, this, path);
    this.iter = pos.iter;
    this.epoch = pos.epoch;
    const expected = this.loaderPosition();
    if (pos.loaderState.epoch !== expected.epoch || pos.loaderState.batchIndex !== expected.batchIndex) {
      this.logger.warn(
        `${path} was written at loader position epoch ${pos.loaderState.epoch}, batch ${pos.loaderState.batchIndex}, but with this ` +
          `train_dataloader (${this.itersPerEpoch} batches per epoch) iteration ${this.iter} is epoch ${expected.epoch}, batch ${expected.batchIndex}: ` +
          'training continues, but not exactly as an uninterrupted run would.',
      );
    }
    this.lastValMetrics = ((ckpt.state.extra as { val_metrics?: Record<string, number> } | undefined)?.val_metrics) ?? {};
    await this.call('afterLoadCheckpoint', ckpt);
    this.logger.info(`Resumed from ${path} at epoch ${this.epoch}, iter ${this.iter}.`);
    return ckpt;
  }

  /** Stop after the current iteration: save a checkpoint, then `train` rejects with TrainingInterruptedError. */
  requestStop(): void {
    this.stopRequested = true;
  }

  /** Train until max_iters / max_epochs, validating as configured; returns the final validation. */
  async train(): Promise<FinalMetrics> {
    this.startedAt = performance.now();
    this.algorithm.train();
    await this.call('beforeTrain');
    const valInterval = this.parts.trainCfg.val_interval;
    while (this.iter < this.maxIters) {
      const position = this.loaderPosition();
      if (position.batchIndex === 0) await this.call('beforeTrainEpoch');
      this.trainLoader.setState(position);
      const it = this.trainLoader[Symbol.asyncIterator]();
      try {
        while (this.iter < this.maxIters) {
          const next = await it.next();
          if (next.done) break;
          await this.trainIter(next.value);
          // Steps are synchronous tensor work: without a turn of the event loop here a Ctrl-C
          // handler (and any timer) would not run until training ended.
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (this.stopRequested) throw new TrainingInterruptedError(await this.saveCheckpoint(`iter_${this.iter}`), this.iter);
          if (!this.byEpoch && valInterval > 0 && this.iter % valInterval === 0 && this.iter < this.maxIters) await this.validate();
          if (this.iter % this.itersPerEpoch === 0) break;
        }
      } finally {
        await it.return?.();
      }
      if (this.iter % this.itersPerEpoch !== 0 && this.iter < this.maxIters) {
        throw new TrainConfigError(`train_dataloader ended after ${this.iter % this.itersPerEpoch} batches of an epoch but its length is ${this.itersPerEpoch}.`);
      }
      if (this.iter % this.itersPerEpoch === 0) {
        this.epoch = this.iter / this.itersPerEpoch;
        await this.call('afterTrainEpoch');
        if (this.byEpoch && valInterval > 0 && this.epoch % valInterval === 0 && this.iter < this.maxIters) await this.validate();
      }
    }
    const metrics = this.valLoader ? await this.validate() : {};
    await this.call('afterTrain');
    return this.writeFinalMetrics(metrics);
  }

  private async trainIter(batch: Batch): Promise<void> {
    await this.call('beforeTrainIter');
    this.optim.setLr(this.schedule.lrAt(this.iter));
    const batchSize = batch.labels.shape[0];
    let outputs: Record<string, number>;
    try {
      const ctx = this.context();
      outputs = tf.tidy(() => this.algorithm.trainStep(batch, ctx));
    } finally {
      batch.images.dispose();
      batch.labels.dispose();
    }
    this.iter += 1;
    await this.call('afterTrainIter', outputs, batchSize);
  }

  /** Validate per val_cfg (max/min subnets of a supernet, or the network); empty without a val loader. */
  async validate(): Promise<Record<string, number>> {
    if (!this.valLoader) return {};
    const cfg = this.parts.valCfg;
    let calibration: Batch[] | undefined;
    const arch = this.algorithm.architecture;
    if (cfg.calibrate_bn && this.parts.calibrationLoader && searchableSupernet(arch)) {
      this.parts.calibrationLoader.setState({ epoch: 0, batchIndex: 0 });
      calibration = await preloadBatches(this.parts.calibrationLoader, cfg.calibrate_sample_num);
    }
    try {
      this.lastValMetrics = await validateArchitecture(arch, { val: this.valLoader, calibration }, cfg);
    } finally {
      if (calibration) disposeBatches(calibration);
      this.algorithm.train();
    }
    await this.call('afterValEpoch', this.lastValMetrics);
    return this.lastValMetrics;
  }

  private async writeFinalMetrics(metrics: Record<string, number>): Promise<FinalMetrics> {
    const final: FinalMetrics = { iter: this.iter, epoch: this.epoch, metrics, seconds: this.elapsedSeconds() };
    const supernet = searchableSupernet(this.algorithm.architecture);
    if (supernet) {
      const before = supernet.mutator.current();
      final.subnets = {};
      for (const name of this.parts.valCfg.subnets) {
        const choices = name === 'max' ? supernet.mutator.setMax() : supernet.mutator.setMin();
        final.subnets[name] = supernet.complexity(choices);
      }
      supernet.mutator.set(before);
    }
    await writeFileAtomic(join(this.workDir, 'final_metrics.json'), `${JSON.stringify(final, null, 2)}\n`);
    return final;
  }

  /** Release loaders and tensors held by the run (weights stay with the algorithm). */
  async close(): Promise<void> {
    this.optim.dispose();
    for (const l of [this.trainLoader, this.valLoader, this.parts.calibrationLoader]) await l?.close();
  }
}
