import type { Module } from '../models/module.js';
import type { Classifier } from '../models/types.js';
import type { Batch } from '../datasets/types.js';
import type { OptimWrapper } from '../engine/types.js';
import type { Rng } from '../services/rng.js';

/** What the runner tells an algorithm about where training stands. */
export interface TrainContext {
  epoch: number;
  /** Global iteration (0-based) across epochs. */
  iter: number;
  maxIters: number;
  /** Set for epoch-based loops. */
  maxEpochs?: number;
  /** Iterations per epoch (the train loader's length). */
  itersPerEpoch: number;
  rng: Rng;
  optim: OptimWrapper;
}

/**
 * A NAS (or plain) training algorithm, the `model` of a config: it owns the architecture and
 * performs one training step (forward, loss, gradients via ctx.optim, optimizer step).
 */
export interface Algorithm extends Module {
  readonly architecture: Classifier;
  /** One training iteration; returns scalars to log (e.g. loss, loss_max, loss_kd). */
  trainStep(batch: Batch, ctx: TrainContext): Record<string, number>;
  /** Algorithm state beyond weights (warm-up stage...), saved in checkpoints. */
  getState(): Record<string, unknown>;
  setState(state: Record<string, unknown>): void;
}
