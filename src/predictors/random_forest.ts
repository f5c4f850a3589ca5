import { RandomForestRegression } from 'ml-random-forest';
import { PREDICTORS } from '../registry/registries.js';
import { checkTrainingSet, PredictorError, type Prediction, type Predictor } from './types.js';

export interface RandomForestConfig {
  type?: string;
  n_estimators: number;
  /** Fraction of the features each tree sees (ml-random-forest's maxFeatures). */
  max_features: number;
  /** Smallest node a tree splits (ml-cart's minNumSamples). */
  min_samples_split: number;
  seed: number;
}

const DEFAULTS: RandomForestConfig = { n_estimators: 200, max_features: 1.0, min_samples_split: 3, seed: 0 };

/**
 * A random forest of regression trees (ml-random-forest / ml-cart): bagged samples, a random
 * feature subset per tree, the mean of the trees as prediction and their spread as `std`.
 * Trees need no feature scaling and capture interactions a linear model cannot.
 */
export class RandomForestPredictor implements Predictor {
  readonly name = 'RandomForest';
  readonly cfg: RandomForestConfig;
  private forest: RandomForestRegression | undefined;

  constructor(cfg: Partial<RandomForestConfig> = {}) {
    const { type: _type, ...rest } = cfg;
    this.cfg = { ...DEFAULTS, ...rest };
  }

  fit(x: readonly (readonly number[])[], y: readonly number[]): void {
    checkTrainingSet(this.name, x, y);
    // ml-random-forest reads an integral maxFeatures (1.0 included) as a count, so pass the count.
    const features = Math.max(1, Math.round(this.cfg.max_features * x[0]!.length));
    this.forest = new RandomForestRegression({
      nEstimators: this.cfg.n_estimators, maxFeatures: features, replacement: false, useSampleBagging: true,
      seed: this.cfg.seed, noOOB: true, treeOptions: { minNumSamples: this.cfg.min_samples_split },
    });
    this.forest.train(x.map((r) => [...r]), [...y]);
  }

  predict(x: readonly (readonly number[])[]): Prediction {
    const forest = this.need();
    const rows = x.map((r) => [...r]);
    const perTree = forest.predictionValues(rows);
    const mean = forest.predict(rows);
    const std = rows.map((_, i) => {
      const v = perTree.getRow(i);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
    });
    return { mean, std };
  }

  state(): unknown {
    return this.need().toJSON();
  }

  load(state: unknown): void {
    this.forest = RandomForestRegression.load(state as never);
  }

  private need(): RandomForestRegression {
    if (!this.forest) throw new PredictorError('RandomForest: predict before fit.');
    return this.forest;
  }
}

PREDICTORS.register('RandomForest', RandomForestPredictor, {
  schema: {
    type: 'object',
    properties: {
      n_estimators: { type: 'integer', minimum: 1, default: DEFAULTS.n_estimators, description: 'Number of trees.' },
      max_features: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: DEFAULTS.max_features, description: 'Fraction of features per tree.' },
      min_samples_split: { type: 'integer', minimum: 2, default: DEFAULTS.min_samples_split, description: 'Smallest node that is split.' },
      seed: { type: 'integer', default: DEFAULTS.seed, description: 'Seed of bagging and feature choice.' },
    },
    additionalProperties: false,
  },
});
