import { performance } from 'node:perf_hooks';
import type { Supernet } from '../models/types.js';
import type { SubnetChoices } from '../mutables/types.js';
import type { Batch, DataLoader } from '../datasets/types.js';
import { countSamples, disposeBatches, preloadBatches } from './batches.js';
import { calibrateBatchNorm } from './calibrate_bn.js';
import { evaluateClassifier } from './evaluator.js';
import { ActiveWeightCache } from './weight_cache.js';

/** Wall-clock milliseconds of the three phases of scoring one subnet. */
export interface ScoreTimings {
  /** Setting the mutator's choices (and any rebuild a model does on a new subnet). */
  setMs: number;
  calibMs: number;
  valMs: number;
}

export interface SubnetScore {
  /** `top1`, `top5`, ... in [0, 1]. */
  metrics: Record<string, number>;
  timings: ScoreTimings;
}

export interface SubnetScorerOptions {
  /** Validation batches, reused for every subnet (not disposed by score()). */
  valBatches: Batch[];
  /** Calibration batches (train split); absent: no BN re-calibration. */
  calibBatches?: Batch[];
  topk?: number[];
  /** Also report the mean validation cross-entropy as `nll`. */
  nll?: boolean;
  /**
   * Slice the shared conv weights once per width rather than once per batch (default true). The
   * model's weights must not change until dispose().
   */
  cacheWeights?: boolean;
}

export interface ScorerFromLoadersOptions {
  valLoader: DataLoader;
  /** Validation samples (first ones of epoch 0); default: the whole loader. */
  valSamples?: number;
  /** Train-split loader for calibration; absent or calibSamples 0: no calibration. */
  calibLoader?: DataLoader;
  calibSamples?: number;
  topk?: number[];
  nll?: boolean;
  cacheWeights?: boolean;
}

/**
 * Scores subnets of one supernet on a FIXED set of validation (and calibration) batches held in
 * memory, so that every subnet sees the same images and no data is decoded per subnet: set the
 * choices, re-calibrate BN, evaluate. Owns the batches; call dispose() at the end.
 */
export class SubnetScorer {
  readonly valSamples: number;
  readonly calibSamples: number;
  private readonly topk: number[];
  private cache: ActiveWeightCache | undefined;

  constructor(
    readonly model: Supernet,
    private readonly opts: SubnetScorerOptions,
  ) {
    this.topk = opts.topk ?? [1, 5];
    this.valSamples = countSamples(opts.valBatches);
    this.calibSamples = opts.calibBatches ? countSamples(opts.calibBatches) : 0;
  }

  static async fromLoaders(model: Supernet, o: ScorerFromLoadersOptions): Promise<SubnetScorer> {
    const valBatches = await preloadBatches(o.valLoader, o.valSamples ?? o.valLoader.numSamples);
    const calib = o.calibLoader && (o.calibSamples ?? 0) > 0;
    const calibBatches = calib ? await preloadBatches(o.calibLoader!, o.calibSamples!) : undefined;
    return new SubnetScorer(model, { valBatches, calibBatches, topk: o.topk, nll: o.nll, cacheWeights: o.cacheWeights });
  }

  async score(choices: SubnetChoices): Promise<SubnetScore> {
    const t0 = performance.now();
    this.model.mutator.set(choices);
    const t1 = performance.now();
    if (this.opts.cacheWeights !== false) this.cache ??= new ActiveWeightCache(this.model);
    if (this.opts.calibBatches) await calibrateBatchNorm(this.model, this.opts.calibBatches);
    const t2 = performance.now();
    const { metrics } = await evaluateClassifier(this.model, this.opts.valBatches, { topk: this.topk, nll: this.opts.nll });
    const t3 = performance.now();
    return { metrics, timings: { setMs: t1 - t0, calibMs: t2 - t1, valMs: t3 - t2 } };
  }

  /** Frees the batches and the weight-slice cache (the model's ops work as before). */
  dispose(): void {
    this.cache?.release();
    this.cache = undefined;
    disposeBatches(this.opts.valBatches);
    if (this.opts.calibBatches) disposeBatches(this.opts.calibBatches);
  }
}

/** Running sums of phase timings, for the per-subnet breakdown reported by the tools. */
export class TimingTotals {
  count = 0;
  setMs = 0;
  calibMs = 0;
  valMs = 0;

  add(t: ScoreTimings): void {
    this.count++;
    this.setMs += t.setMs;
    this.calibMs += t.calibMs;
    this.valMs += t.valMs;
  }

  /** Mean seconds per subnet: total and each phase. */
  perSubnet(): { total: number; set: number; calib: number; val: number } {
    const n = Math.max(1, this.count);
    const s = (ms: number) => ms / n / 1000;
    return { total: s(this.setMs + this.calibMs + this.valMs), set: s(this.setMs), calib: s(this.calibMs), val: s(this.valMs) };
  }
}
