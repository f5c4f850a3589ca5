import { Matrix, solve } from 'ml-matrix';
import { PREDICTORS } from '../registry/registries.js';
import { fitStandardizer, standardize, targetScale, type Standardizer } from './standardize.js';
import { checkTrainingSet, PredictorError, type Prediction, type Predictor } from './types.js';

export interface RidgeConfig {
  type?: string;
  /** L2 penalties tried on z-scored features; the one with the lowest leave-one-out error is kept. */
  alphas: number[];
}

interface RidgeState {
  x: Standardizer;
  y: { mean: number; std: number };
  weights: number[];
  alpha: number;
}

const DEFAULTS: RidgeConfig = { alphas: [0.01, 0.1, 1, 10, 100] };

/**
 * Ridge weights of centred targets on z-scored rows (no intercept), the penalty picked from
 * `alphas` by exact leave-one-out error: e_i / (1 - H_ii) with the hat matrix H.
 */
export function ridgeFit(rows: readonly (readonly number[])[], targets: readonly number[], alphas: readonly number[]): { weights: number[]; alpha: number; looError: number } {
  const X = new Matrix(rows as number[][]);
  const t = Matrix.columnVector(targets as number[]);
  const xtx = X.transpose().mmul(X);
  let best: { weights: number[]; alpha: number; looError: number } | undefined;
  for (const alpha of alphas) {
    const inv = solve(Matrix.add(xtx, Matrix.eye(X.columns).mul(alpha)), Matrix.eye(X.columns));
    const w = inv.mmul(X.transpose()).mmul(t);
    const hat = X.mmul(inv).mmul(X.transpose());
    const resid = Matrix.sub(t, X.mmul(w));
    let loo = 0;
    for (let i = 0; i < X.rows; i++) loo += (resid.get(i, 0) / (1 - hat.get(i, i))) ** 2;
    if (!best || loo < best.looError) best = { weights: w.getColumn(0), alpha, looError: loo / X.rows };
  }
  return best!;
}

/** Ridge regression, the linear baseline: features z-scored, targets centred, the penalty chosen by leave-one-out (ridgeFit). */
export class RidgeRegression implements Predictor {
  readonly name = 'Ridge';
  readonly cfg: RidgeConfig;
  private fitted: RidgeState | undefined;

  constructor(cfg: Partial<RidgeConfig> = {}) {
    const { type: _type, ...rest } = cfg;
    this.cfg = { ...DEFAULTS, ...rest };
    if (this.cfg.alphas.length === 0 || this.cfg.alphas.some((a) => !(a > 0))) throw new PredictorError('Ridge: alphas must be positive numbers.');
  }

  /** The penalty chosen by the last fit. */
  get alpha(): number | undefined {
    return this.fitted?.alpha;
  }

  fit(x: readonly (readonly number[])[], y: readonly number[]): void {
    checkTrainingSet(this.name, x, y);
    const xs = fitStandardizer(x);
    const ys = targetScale(y);
    const fit = ridgeFit(standardize(xs, x), y.map((v) => (v - ys.mean) / ys.std), this.cfg.alphas);
    this.fitted = { x: xs, y: ys, weights: fit.weights, alpha: fit.alpha };
  }

  predict(x: readonly (readonly number[])[]): Prediction {
    const f = this.need();
    const mean = standardize(f.x, x).map((row) => f.y.mean + f.y.std * row.reduce((s, v, j) => s + v * f.weights[j]!, 0));
    return { mean };
  }

  state(): RidgeState {
    return this.need();
  }

  load(state: unknown): void {
    this.fitted = state as RidgeState;
  }

  private need(): RidgeState {
    if (!this.fitted) throw new PredictorError('Ridge: predict before fit.');
    return this.fitted;
  }
}

PREDICTORS.register('Ridge', RidgeRegression, {
  schema: {
    type: 'object',
    properties: { alphas: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 1, default: DEFAULTS.alphas, description: 'L2 penalties tried (leave-one-out picks one).' } },
    additionalProperties: false,
  },
});
