import { tf, type Tensor, type Tensor1D, type Tensor4D, type Variable } from '../../tf.js';
import { Module } from '../module.js';
import type { Mutable } from '../../mutables/types.js';
import type { ChannelSource } from '../../mutables/sources.js';
import { mutablesOf } from '../../mutables/collect.js';
import type { BuildContext } from './build_context.js';
import type { Costed, ModuleCost, SpatialSize } from './cost.js';
import {
  hasNativeBatchNorm, nativeBatchNormGrad, nativeBatchNormTrain, type BatchNormActivation,
} from '../../backend/native_ops.js';

export interface DynamicBatchNorm2dOptions {
  channels: ChannelSource;
  eps?: number;
  /** Weight of the new batch in the running statistics; null = cumulative average (PyTorch). */
  momentum?: number | null;
  /** Start gamma at 0 (the last BN of a residual branch, so each block starts as identity). */
  zeroInitGamma?: boolean;
}

/**
 * BatchNorm over NHWC channels whose active subnet uses the first c entries of gamma, beta and the
 * running statistics. Training normalises with batch statistics and blends them into the first c
 * running entries; eval uses the running statistics. `momentum = null` plus `resetRunningStats()`
 * gives the exact population statistics needed to re-calibrate a subnet.
 */
export class DynamicBatchNorm2d extends Module implements Costed {
  readonly channels: ChannelSource;
  readonly eps: number;
  momentum: number | null;
  /** Training batches blended since the last reset (the cumulative average's count). */
  numBatchesTracked = 0;
  readonly gamma: Variable | undefined;
  readonly beta: Variable | undefined;
  readonly runningMean: Variable | undefined;
  readonly runningVar: Variable | undefined;

  constructor(opts: DynamicBatchNorm2dOptions, ctx: BuildContext) {
    super();
    this.channels = opts.channels;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    const c = this.channels.maxChannels;
    if (ctx.allocate) {
      this.gamma = this.registerParameter('gamma', opts.zeroInitGamma ? tf.zeros([c]) : tf.ones([c]));
      this.beta = this.registerParameter('beta', tf.zeros([c]));
      this.runningMean = this.registerBuffer('running_mean', tf.zeros([c]));
      this.runningVar = this.registerBuffer('running_var', tf.ones([c]));
    }
  }

  /** Normalises x, then applies `activation` (one kernel with it on engines that fuse them). */
  forward(x: Tensor4D, activation: BatchNormActivation = 'linear'): Tensor4D {
    const c = this.channels.currentChannels;
    const full = c === this.channels.maxChannels;
    const pick = (v: Variable | undefined): Tensor1D => {
      if (!v) throw new Error('DynamicBatchNorm2d was built without tensors (allocate: false); it can only report its cost.');
      return (full ? v : tf.slice(v, 0, c)) as Tensor1D;
    };
    const gamma = pick(this.gamma);
    const beta = pick(this.beta);
    if (this.training && hasNativeBatchNorm()) return this.nativeTrainNorm(activation)(x, gamma, beta) as Tensor4D;
    const y = this.training
      ? this.trainNorm(x, gamma, beta) as Tensor4D
      : tf.batchNorm(x, pick(this.runningMean), pick(this.runningVar), beta, gamma, this.eps);
    if (activation === 'relu') return tf.relu(y);
    return activation === 'relu6' ? tf.relu6(y) : y;
  }

  private readonly nativeTrainNorms = new Map<BatchNormActivation, (x: Tensor, g: Tensor, b: Tensor) => Tensor>();

  /**
   * Batch-statistics normalisation and the activation as one engine kernel forward and one
   * backward (torch engine); one custom-gradient function per activation.
   */
  private nativeTrainNorm(activation: BatchNormActivation): (x: Tensor, g: Tensor, b: Tensor) => Tensor {
    let f = this.nativeTrainNorms.get(activation);
    if (f) return f;
    f = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
      const [x, gamma, beta, save] = args as [Tensor4D, Tensor1D, Tensor1D, tf.GradSaveFunc];
      const [y, mean, variance] = nativeBatchNormTrain(x, gamma, beta, this.eps, activation);
      this.updateRunningStats(mean, variance, x.shape[0] * x.shape[1] * x.shape[2]);
      save(activation === 'linear' ? [x, gamma, mean, variance] : [x, gamma, mean, variance, y]);
      return {
        value: y,
        gradFunc: (dy: Tensor, saved: Tensor[]) => {
          const [xs, g, m, v, ys] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor | undefined];
          return nativeBatchNormGrad(dy, xs, g, m, v, this.eps, activation, ys);
        },
      };
    }) as (x: Tensor, g: Tensor, b: Tensor) => Tensor;
    this.nativeTrainNorms.set(activation, f);
    return f;
  }

  /**
   * Batch-statistics normalisation with the closed-form backward pass: about 20 kernels per layer
   * instead of the ~50 that autodiff of moments + batchNorm launches (BN dominated small-net steps).
   */
  private readonly trainNorm = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma, beta, save] = args as [Tensor4D, Tensor1D, Tensor1D, tf.GradSaveFunc];
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const count = x.shape[0] * x.shape[1] * x.shape[2];
    this.updateRunningStats(mean as Tensor1D, variance as Tensor1D, count);
    const inv = tf.rsqrt(tf.add(variance, this.eps));
    const xhat = tf.mul(tf.sub(x, mean), inv);
    save([xhat, inv, gamma]);
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xh, invStd, g] = saved as [Tensor, Tensor, Tensor];
        const dBeta = tf.sum(dy, [0, 1, 2]);
        const dGamma = tf.sum(tf.mul(dy, xh), [0, 1, 2]);
        // dx = gamma / std * (dy - mean(dy) - xhat * mean(dy * xhat))
        const centred = tf.sub(tf.sub(dy, tf.div(dBeta, count)), tf.mul(xh, tf.div(dGamma, count)));
        return [tf.mul(centred, tf.mul(invStd, g)), dGamma, dBeta];
      },
    };
  });

  /**
   * Eval-mode normalisation as y = x * scale + shift over the current channels, so a conv before
   * it can fold it into its weights and bias.
   */
  evalScaleShift(): { scale: Tensor1D; shift: Tensor1D } {
    if (!this.gamma || !this.beta || !this.runningMean || !this.runningVar) {
      throw new Error('DynamicBatchNorm2d was built without tensors (allocate: false); it can only report its cost.');
    }
    const c = this.channels.currentChannels;
    const full = c === this.channels.maxChannels;
    const pick = (v: Variable) => (full ? v : tf.slice(v, 0, c)) as Tensor1D;
    const scale = tf.mul(pick(this.gamma), tf.rsqrt(tf.add(pick(this.runningVar), this.eps))) as Tensor1D;
    return { scale, shift: tf.sub(pick(this.beta), tf.mul(pick(this.runningMean), scale)) as Tensor1D };
  }

  /** Blend batch statistics into the first c running entries (unbiased variance, as PyTorch). */
  private updateRunningStats(mean: Tensor1D, variance: Tensor1D, count: number): void {
    this.numBatchesTracked += 1;
    const factor = this.momentum === null ? 1 / this.numBatchesTracked : this.momentum;
    const unbias = count > 1 ? count / (count - 1) : 1;
    const blend = (running: Variable, batch: Tensor1D, scale: number) =>
      tf.tidy(() => {
        const c = batch.shape[0];
        const old = c === running.shape[0] ? running : tf.slice(running, 0, c);
        const mixed = tf.add(tf.mul(old, 1 - factor), tf.mul(batch, factor * scale));
        running.assign(c === running.shape[0] ? mixed : tf.concat([mixed, tf.slice(running, c)]));
      });
    blend(this.runningMean!, mean, 1);
    blend(this.runningVar!, variance, unbias);
  }

  /** Running mean 0, variance 1, count 0 (before a cumulative re-calibration). */
  resetRunningStats(): void {
    this.numBatchesTracked = 0;
    if (!this.runningMean || !this.runningVar) return;
    tf.tidy(() => {
      this.runningMean!.assign(tf.zerosLike(this.runningMean!));
      this.runningVar!.assign(tf.onesLike(this.runningVar!));
    });
  }

  cost(input: SpatialSize): ModuleCost {
    return { macs: 0, params: 2 * this.channels.currentChannels, output: input };
  }

  mutables(): Mutable[] {
    return mutablesOf(this.channels);
  }
}

/** Every batch-norm layer of a model (for re-calibration), in module order. */
export function batchNormLayers(model: Module): DynamicBatchNorm2d[] {
  return model.namedModules().map(([, m]) => m).filter((m): m is DynamicBatchNorm2d => m instanceof DynamicBatchNorm2d);
}

/** Set the momentum of every batch-norm layer (null = cumulative average). */
export function setBatchNormMomentum(model: Module, momentum: number | null): void {
  for (const bn of batchNormLayers(model)) bn.momentum = momentum;
}
