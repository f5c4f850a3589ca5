import { registerSectionSchema } from '../config/sections.js';

/** The `test_cfg` section: how a subnet is evaluated (tools/test.ts, Track-1 scoring, search). */
export interface TestCfg {
  calibrate_bn: boolean;
  calibrate_sample_num: number;
  /** Validation samples per subnet; absent: the whole validation loader. */
  val_sample_num?: number;
  topk: number[];
}

export const TEST_CFG_DEFAULTS: TestCfg = { calibrate_bn: true, calibrate_sample_num: 2000, topk: [1, 5] };

export const TEST_CFG_SCHEMA = {
  type: 'object',
  description: 'How a subnet of the supernet is evaluated: BN re-calibration and validation size.',
  // Filled in when absent, so print_config shows the defaults a tool will use.
  default: {},
  properties: {
    calibrate_bn: {
      description: 'Re-compute the BN running statistics of each subnet from train-split images before evaluating it (mmrazor Calib-BN).',
      type: 'boolean',
      default: TEST_CFG_DEFAULTS.calibrate_bn,
    },
    calibrate_sample_num: {
      description: 'Train-split images used for BN re-calibration (read from train_dataloader, preloaded once).',
      type: 'integer',
      minimum: 1,
      default: TEST_CFG_DEFAULTS.calibrate_sample_num,
    },
    val_sample_num: {
      description: 'Validation images per subnet (the first ones of val_dataloader); absent: all of them.',
      type: 'integer',
      minimum: 1,
    },
    topk: {
      description: 'Top-k accuracies to report.',
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      default: TEST_CFG_DEFAULTS.topk,
    },
  },
  additionalProperties: false,
};

/** `test_cfg` of a loaded config with defaults filled in. */
export function readTestCfg(config: Record<string, unknown>): TestCfg {
  const raw = (config.test_cfg ?? {}) as Partial<TestCfg>;
  return { ...TEST_CFG_DEFAULTS, ...raw };
}

registerSectionSchema('test_cfg', TEST_CFG_SCHEMA);
