import type { ToolOptions } from './help.js';

/** How the evaluation tools (test, export_subnet) name one subnet of a supernet. */
export const SUBNET_OPTIONS = {
  arch: { type: 'string', value: 'CODE', description: "A Track-1 architecture code of the supernet's space (a key's code in a Track-1 JSON)." },
  subnet: { type: 'string', value: 'FILE.yaml', description: 'A subnet file {alias: {chosen: value}} (e.g. search/best_subnet.yaml).' },
  max: { type: 'boolean', description: 'The largest subnet.' },
  min: { type: 'boolean', description: 'The smallest subnet.' },
  'calib-samples': { type: 'string', value: 'N', description: 'Train images to re-calibrate BN on (default test_cfg.calibrate_sample_num; 0 turns it off).' },
} as const satisfies ToolOptions;
