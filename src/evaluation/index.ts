// Importing this module registers the evaluation metrics, the FixedNet model (exported subnets) and
// the `test_cfg` section schema.
import './accuracy.js';
import './test_cfg.js';
import './export/fixed_net.js';

export { Accuracy } from './accuracy.js';
export { evaluateClassifier } from './evaluator.js';
export { calibrateBatchNorm } from './calibrate_bn.js';
export { preloadBatches, disposeBatches } from './batches.js';
export { SubnetScorer, TimingTotals, type SubnetScore, type ScoreTimings } from './subnet_scorer.js';
export { readTestCfg, type TestCfg } from './test_cfg.js';
export { exportSubnet, type ExportedSubnet } from './export/export_subnet.js';
export { FixedNet } from './export/fixed_net.js';
export { fileIOHandler } from './export/file_io_handler.js';
