import { readFileSync } from 'node:fs';
import { PREDICTORS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import { writeFileAtomic } from '../track1/atomic_write.js';
import type { FeatureSpec } from './features.js';
import { PredictorError, type Predictor } from './types.js';

export const PREDICTOR_FILE_FORMAT = 'tfrazor-predictor';
const VERSION = 1;

/** A fitted predictor on disk: its config, its features, and its fitted state. */
export interface PredictorFile {
  format: typeof PREDICTOR_FILE_FORMAT;
  version: number;
  predictor: TypedConfig;
  features: FeatureSpec;
  feature_names: string[];
  trained_on: { file: string; subnets: number };
  state: unknown;
}

export function savePredictor(path: string, predictor: Predictor, cfg: TypedConfig, features: FeatureSpec, featureNames: string[], trainedOn: PredictorFile['trained_on']): void {
  const file: PredictorFile = {
    format: PREDICTOR_FILE_FORMAT, version: VERSION, predictor: cfg, features, feature_names: featureNames, trained_on: trainedOn, state: predictor.state(),
  };
  writeFileAtomic(path, `${JSON.stringify(file)}\n`);
}

export function loadPredictor(path: string): { predictor: Predictor; file: PredictorFile } {
  let file: PredictorFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as PredictorFile;
  } catch (err) {
    throw new PredictorError(`Cannot read predictor file ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (file?.format !== PREDICTOR_FILE_FORMAT) throw new PredictorError(`${path} is not a fitted predictor (written by tools/predict.ts fit).`);
  if (file.version !== VERSION) throw new PredictorError(`${path} has predictor file version ${file.version}; this tfrazor reads version ${VERSION}.`);
  const predictor = PREDICTORS.build<Predictor>(file.predictor);
  predictor.load(file.state);
  return { predictor, file };
}
