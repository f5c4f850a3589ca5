import type { Algorithm } from '../algorithms/types.js';
import type { DataLoader } from '../datasets/types.js';
import { ALGORITHMS, HOOKS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import { getLogger, getProgress } from '../services/container.js';
import type { Logger } from '../services/logger.js';
import type { ProgressReporter } from '../services/progress.js';
import type { Hook } from './hooks.js';
import { DefaultOptimWrapper, type OptimWrapperConfig } from './optim/optim_wrapper.js';
import { Runner, TrainConfigError } from './runner.js';
import { LrSchedule } from './schedulers.js';
import type { RandomnessCfg, TrainCfg, ValCfg } from './sections.js';
import { searchableSupernet } from './validation.js';
import { checkDataFitsModel } from '../evaluation/data_fit.js';

/** val_interval of an iteration-based loop that sets none (mmengine's IterBasedTrainLoop default). */
export const DEFAULT_ITER_VAL_INTERVAL = 1000;

/** Which loader a factory is asked for: calibration reads train data for BN re-calibration only. */
export type LoaderRole = 'train' | 'val' | 'calibration';

/** Builds a DataLoader from a `*_dataloader` config section. */
export type LoaderFactory = (section: Record<string, unknown>, options: { role: LoaderRole; seed: number }) => DataLoader | Promise<DataLoader>;

export interface BuildRunnerOptions {
  workDir: string;
  buildLoader: LoaderFactory;
  /** Overrides randomness.seed. */
  seed?: number;
  logger?: Logger;
  progress?: ProgressReporter;
  /** Use this algorithm instead of building `model`. */
  algorithm?: Algorithm;
}

const VAL_DEFAULTS: ValCfg = { subnets: ['max', 'min'], calibrate_bn: true, calibrate_sample_num: 1000, topk: [1, 5] };

function section<T>(config: Record<string, unknown>, key: string): T | undefined {
  const v = config[key];
  return v === null || v === undefined ? undefined : (v as T);
}

/** The hooks of `default_hooks` (null entries disabled) followed by `custom_hooks`. */
export function buildHooks(config: Record<string, unknown>): Hook[] {
  const defaults = section<Record<string, TypedConfig | null>>(config, 'default_hooks') ?? {};
  const merged: Record<string, TypedConfig | null> = { logger: { type: 'LoggerHook' }, checkpoint: { type: 'CheckpointHook' }, ...defaults };
  const cfgs = [...Object.values(merged).filter((c): c is TypedConfig => c !== null), ...(section<TypedConfig[]>(config, 'custom_hooks') ?? [])];
  return cfgs.map((c) => HOOKS.build<Hook>(c));
}

/**
 * Build a Runner from a validated config: the algorithm from `model`, loaders through `buildLoader`,
 * the optim wrapper, the learning-rate schedule, hooks, and the loop settings.
 */
export async function buildRunner(config: Record<string, unknown>, options: BuildRunnerOptions): Promise<Runner> {
  const seed = options.seed ?? section<RandomnessCfg>(config, 'randomness')?.seed ?? 0;
  const optimCfg = section<OptimWrapperConfig>(config, 'optim_wrapper');
  if (!optimCfg) throw new TrainConfigError('The config has no optim_wrapper section; training needs one (optim_wrapper: {optimizer: {type: SGD, lr: 0.1}}).');
  const trainSection = section<Record<string, unknown>>(config, 'train_dataloader');
  if (!trainSection) throw new TrainConfigError('The config has no train_dataloader section; training needs one.');
  const algorithm = options.algorithm ?? ALGORITHMS.build<Algorithm>(config.model as TypedConfig);
  const optim = new DefaultOptimWrapper(optimCfg, algorithm);
  const trainLoader = await options.buildLoader(trainSection, { role: 'train', seed });
  const valSection = section<Record<string, unknown>>(config, 'val_dataloader');
  const valLoader = valSection ? await options.buildLoader(valSection, { role: 'val', seed }) : undefined;
  try {
    checkDataFitsModel(algorithm.architecture, trainLoader, 'train_dataloader');
    if (valLoader) checkDataFitsModel(algorithm.architecture, valLoader, 'val_dataloader');
  } catch (e) {
    await trainLoader.close();
    await valLoader?.close();
    throw e;
  }
  const valCfg: ValCfg = { ...VAL_DEFAULTS, ...section<Partial<ValCfg>>(config, 'val_cfg') };
  const needsCalibration = valLoader !== undefined && valCfg.calibrate_bn && searchableSupernet(algorithm.architecture) !== null;
  const calibrationLoader = needsCalibration ? await options.buildLoader(trainSection, { role: 'calibration', seed }) : undefined;
  const trainSectionCfg = section<Partial<TrainCfg>>(config, 'train_cfg') ?? {};
  const byEpoch = trainSectionCfg.by_epoch ?? true;
  // An iteration-based loop validating every iteration would spend most of its time validating.
  const trainCfg: TrainCfg = { by_epoch: byEpoch, ...trainSectionCfg, val_interval: trainSectionCfg.val_interval ?? (byEpoch ? 1 : DEFAULT_ITER_VAL_INTERVAL) };
  const schedule = LrSchedule.build(section<TypedConfig[]>(config, 'param_scheduler'), optim.optimizer.baseLr, trainLoader.length);
  return new Runner({
    algorithm,
    optim,
    schedule,
    trainLoader,
    valLoader,
    calibrationLoader,
    hooks: buildHooks(config),
    trainCfg,
    valCfg,
    seed,
    workDir: options.workDir,
    logger: options.logger ?? getLogger(),
    progress: options.progress ?? getProgress(),
    config,
  });
}
