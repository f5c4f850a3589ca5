import { registerSectionSchema } from '../config/sections.js';

/** The `predictor_cfg` section: the predictor tools/predict.ts fits when no --predictor is given. */
registerSectionSchema('predictor_cfg', {
  'x-kind': 'predictors',
  description: 'A performance predictor, e.g. {type: GPNAS, kernel: rbf} (tools/predict.ts; --predictor replaces it).',
});
