// Importing this module registers every performance predictor in PREDICTORS.
import './ridge.js';
import './gp_nas.js';
import './random_forest.js';
import './predictor_cfg.js';
import './predictor_score.js';

export * from './types.js';
export { RidgeRegression, ridgeFit } from './ridge.js';
export { GpNas } from './gp_nas.js';
export { RandomForestPredictor } from './random_forest.js';
export { featureColumn, featureNames, featureRow, type ExtraFeatures, type FeatureContext, type FeatureSpec } from './features.js';
export { crossValidate, type CvOptions, type CvReport } from './cross_validation.js';
export { loadPredictor, savePredictor, type PredictorFile } from './model_file.js';
export { PredictorScore } from './predictor_score.js';
