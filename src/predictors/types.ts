import { UserError } from '../errors.js';

/** Bad predictor input: too few labelled subnets, a feature missing, a model file of another kind. */
export class PredictorError extends UserError {}

export interface Prediction {
  mean: number[];
  /** Posterior standard deviation of the latent accuracy, where the predictor has one (GP). */
  std?: number[];
}

/**
 * A performance predictor: fitted on feature rows of labelled subnets, it predicts the accuracy of
 * others. Registered in PREDICTORS (`{type: GPNAS, ...}`); `state()` / `load()` round-trip a fit
 * through JSON so tools/predict.ts can fit once and predict later.
 */
export interface Predictor {
  readonly name: string;
  fit(x: readonly (readonly number[])[], y: readonly number[]): void;
  predict(x: readonly (readonly number[])[]): Prediction;
  state(): unknown;
  load(state: unknown): void;
}

/** Checks shared by every predictor's fit. */
export function checkTrainingSet(name: string, x: readonly (readonly number[])[], y: readonly number[], minRows = 2): void {
  if (x.length !== y.length) throw new PredictorError(`${name}: ${x.length} feature rows but ${y.length} targets.`);
  if (x.length < minRows) throw new PredictorError(`${name} needs at least ${minRows} labelled subnets, got ${x.length}.`);
  const d = x[0]!.length;
  x.forEach((row, i) => {
    if (row.length !== d) throw new PredictorError(`${name}: feature row ${i} has ${row.length} values, row 0 has ${d}.`);
    if (!row.every(Number.isFinite)) throw new PredictorError(`${name}: feature row ${i} has a non-finite value.`);
  });
  if (!y.every(Number.isFinite)) throw new PredictorError(`${name}: every target must be a finite number.`);
}
