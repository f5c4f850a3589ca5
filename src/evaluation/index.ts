// Importing this module registers the evaluation metrics of the core namespace.
import './accuracy.js';

export { Accuracy } from './accuracy.js';
export { evaluateClassifier } from './evaluator.js';
export { preloadBatches, disposeBatches } from './batches.js';
