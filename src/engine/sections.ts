import { registerSectionSchema } from '../config/sections.js';
import { OPTIM_WRAPPER_SCHEMA } from './optim/optim_wrapper.js';

export interface TrainCfg {
  by_epoch: boolean;
  max_epochs?: number;
  max_iters?: number;
  /** Validate every this many epochs (by_epoch) or iterations; 0 disables validation during training. */
  val_interval: number;
}

export type SubnetName = 'max' | 'min';

export interface ValCfg {
  subnets: SubnetName[];
  calibrate_bn: boolean;
  calibrate_sample_num: number;
  val_sample_num?: number;
  topk: number[];
}

export interface RandomnessCfg {
  seed: number;
}

export const TRAIN_CFG_SCHEMA = {
  type: 'object',
  description: 'The training loop: epoch-based (max_epochs) or iteration-based (max_iters).',
  properties: {
    by_epoch: { description: 'Epoch-based loop (checkpoints, validation and by_epoch schedulers count epochs).', type: 'boolean', default: true },
    max_epochs: { description: 'Epochs to train (epoch-based loops).', type: 'integer', minimum: 1 },
    max_iters: { description: 'Iterations to train; with max_epochs too, the smaller bound wins.', type: 'integer', minimum: 1 },
    val_interval: {
      description: 'Validate every this many epochs, or iterations when by_epoch is false; 0: only at the end. Default: 1 epoch, or 1000 iterations (as mmengine\'s loops).',
      type: 'integer',
      minimum: 0,
    },
  },
  additionalProperties: false,
  default: {},
};

export const VAL_CFG_SCHEMA = {
  type: 'object',
  description: 'Validation during and after training; for a supernet, which subnets are evaluated.',
  properties: {
    subnets: {
      description: 'Subnets of a supernet to validate (a fixed network is validated as it is).',
      type: 'array',
      items: { enum: ['max', 'min'] },
      minItems: 1,
      default: ['max', 'min'],
    },
    calibrate_bn: {
      description: 'Re-compute BN statistics of each validated subnet from train images first (supernets only); weights and statistics are restored afterwards.',
      type: 'boolean',
      default: true,
    },
    calibrate_sample_num: { description: 'Train images used for BN re-calibration.', type: 'integer', minimum: 1, default: 1000 },
    val_sample_num: { description: 'Validation images per subnet (the first ones); absent: all of them.', type: 'integer', minimum: 1 },
    topk: { description: 'Top-k accuracies to report.', type: 'array', items: { type: 'integer', minimum: 1 }, default: [1, 5] },
  },
  additionalProperties: false,
  default: {},
};

const HOOK_OR_NULL = (description: string, dflt: unknown) => ({
  description,
  default: dflt,
  if: { type: 'null' },
  else: { 'x-kind': 'hooks' },
});

export const DEFAULT_HOOKS_SCHEMA = {
  type: 'object',
  description: 'The standard hooks by role; null disables one. Extra keys add hooks.',
  properties: {
    logger: HOOK_OR_NULL('Scalars (JSONL), log lines and progress.', { type: 'LoggerHook' }),
    checkpoint: HOOK_OR_NULL('Periodic checkpoints for --resume.', { type: 'CheckpointHook' }),
  },
  additionalProperties: { if: { type: 'null' }, else: { 'x-kind': 'hooks' } },
  default: {},
};

export const RANDOMNESS_SCHEMA = {
  type: 'object',
  description: 'Seeds of every random choice (data order, subnet sampling); checkpoints save the RNG state.',
  properties: {
    seed: { description: 'Seed of the run (the tool option --seed overrides it).', type: 'integer', default: 0 },
  },
  additionalProperties: false,
  default: {},
};

registerSectionSchema('train_cfg', TRAIN_CFG_SCHEMA);
registerSectionSchema('val_cfg', VAL_CFG_SCHEMA);
registerSectionSchema('optim_wrapper', OPTIM_WRAPPER_SCHEMA);
registerSectionSchema('default_hooks', DEFAULT_HOOKS_SCHEMA);
registerSectionSchema('randomness', RANDOMNESS_SCHEMA);
