import { registerSectionSchema } from '../config/sections.js';
import type { TypedConfig } from '../registry/registry.js';

/** The `search_cfg` section read by tools/search.ts. */
export interface SearchCfg {
  searcher: TypedConfig;
  /** Calibrate each candidate's BN statistics (defaults to test_cfg.calibrate_bn). */
  calibrate_bn?: boolean;
  calibrate_sample_num?: number;
  /** Validation images each candidate is scored on (defaults to test_cfg.val_sample_num). */
  val_sample_num?: number;
  /** A registered proxy that EvolutionSearch ranks candidates by before scoring them (see prior_oversample). */
  prior?: TypedConfig;
  /** A latency lookup table (tools/analysis/latency_table.ts) predicting each candidate's latency_ms. */
  latency_table?: string;
}

export const SEARCH_CFG_SCHEMA = {
  type: 'object',
  description: 'Subnet search on a trained supernet (tools/search.ts).',
  // Filled in when absent, so print_config shows the defaults a tool will use.
  default: {},
  properties: {
    searcher: {
      'x-kind': 'searchers',
      description: 'The search strategy, e.g. {type: EvolutionSearch, population_size: 50, constraints: {macs: [0, 3.0e9]}}.',
      default: { type: 'EvolutionSearch' },
    },
    calibrate_bn: { description: 'Re-calibrate BN per candidate (default: test_cfg.calibrate_bn).', type: 'boolean' },
    calibrate_sample_num: { description: 'Train-split images for calibration (default: test_cfg.calibrate_sample_num).', type: 'integer', minimum: 1 },
    val_sample_num: { description: 'Validation images per candidate, the same fixed ones for all (default: test_cfg.val_sample_num).', type: 'integer', minimum: 1 },
    latency_table: {
      type: 'string',
      description: 'A latency lookup table written by tools/analysis/latency_table.ts: each candidate gets a predicted latency_ms, which searcher.constraints.latency_ms bounds.',
    },
    prior: {
      'x-kind': 'proxies',
      description: 'A zero-cost proxy, e.g. {type: ZenScore}: EvolutionSearch ranks prior_oversample x population_size candidates per generation by it and scores the best on the supernet.',
    },
  },
  additionalProperties: false,
};

export function readSearchCfg(config: Record<string, unknown>): SearchCfg {
  const raw = (config.search_cfg ?? {}) as Partial<SearchCfg>;
  return { searcher: { type: 'EvolutionSearch' }, ...raw };
}

registerSectionSchema('search_cfg', SEARCH_CFG_SCHEMA);
