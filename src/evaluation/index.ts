// Importing this module registers the evaluation metrics and the `test_cfg` section schema.
import './accuracy.js';
import './test_cfg.js';

export { Accuracy } from './accuracy.js';
export { evaluateClassifier } from './evaluator.js';
export { calibrateBatchNorm } from './calibrate_bn.js';
export { preloadBatches, disposeBatches } from './batches.js';
export { readTestCfg, type TestCfg } from './test_cfg.js';
