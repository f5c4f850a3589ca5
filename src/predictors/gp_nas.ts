import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { PREDICTORS } from '../registry/registries.js';
import { ridgeFit } from './ridge.js';
import { fitStandardizer, standardize, targetScale, type Standardizer } from './standardize.js';
import { checkTrainingSet, PredictorError, type Prediction, type Predictor } from './types.js';

export type GpKernel = 'rbf' | 'exponential';

export interface GpNasConfig {
  type?: string;
  /** 'rbf': exp(-d^2 / (2 l^2)) (GP-NAS c_flag 1); 'exponential': exp(-d / l) (c_flag 2). */
  kernel: GpKernel;
  /** Length scales tried, in units of sqrt(number of features) (distances of z-scored rows grow like it). */
  lengthscales: number[];
  /** Kernel amplitudes s^2 tried (targets are z-scored). */
  signal_variances: number[];
  /** Observation noise variances tried. */
  noise_variances: number[];
  /** Prior variances of the linear mean's weights around the ridge fit (GP-NAS's hp_cov). */
  weight_variances: number[];
  /** Ridge penalties for the prior mean of those weights (leave-one-out picks one). */
  ridge_alphas: number[];
}

interface Hyper {
  lengthscale: number;
  signal: number;
  noise: number;
  weight: number;
}

interface GpState {
  x: Standardizer;
  y: { mean: number; std: number };
  /** Standardised training rows and targets. */
  rows: number[][];
  targets: number[];
  /** Prior mean of the linear weights (ridge fit; last entry the intercept). */
  w0: number[];
  hyper: Hyper;
  logMarginalLikelihood: number;
}

const DEFAULTS: GpNasConfig = {
  kernel: 'rbf',
  lengthscales: [0.25, 0.5, 1, 2, 4],
  signal_variances: [0.1, 0.3, 1],
  noise_variances: [0.01, 0.03, 0.1, 0.3, 1],
  weight_variances: [0.001, 0.01, 0.1],
  ridge_alphas: [0.01, 0.1, 1, 10, 100],
};

const listSchema = (description: string, defaults: number[]) => ({
  type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 1, default: defaults, description,
});

interface Fitted {
  chol: CholeskyDecomposition;
  alpha: Matrix;
}

/**
 * GP-NAS (Li et al., CVPR 2020; PaddleSlim's GPNAS, the CVPR 2022 Track-2 baseline): accuracy =
 * a linear function of the features with a Gaussian prior on its weights, centred on the ridge
 * fit, plus a Gaussian process over the features. Equivalently a GP with mean h(x)^T w0 and kernel
 * s^2 k(x, x') + sigma_w^2 h(x)^T h(x') (h = features and 1), which gives closed-form posterior
 * means and variances (Rasmussen & Williams, sec. 2.7). Kernel hyper-parameters are chosen from the
 * configured lists by the log marginal likelihood of the training set (GP-NAS fixes them by hand).
 */
export class GpNas implements Predictor {
  readonly name = 'GPNAS';
  readonly cfg: GpNasConfig;
  private fitted: GpState | undefined;
  private solved: Fitted | undefined;

  constructor(cfg: Partial<GpNasConfig> = {}) {
    const { type: _type, ...rest } = cfg;
    this.cfg = { ...DEFAULTS, ...rest };
    if (this.cfg.kernel !== 'rbf' && this.cfg.kernel !== 'exponential') throw new PredictorError(`GPNAS: kernel must be 'rbf' or 'exponential', got '${String(this.cfg.kernel)}'.`);
  }

  /** Hyper-parameters and log marginal likelihood of the last fit. */
  get selected(): (Hyper & { logMarginalLikelihood: number }) | undefined {
    return this.fitted && { ...this.fitted.hyper, logMarginalLikelihood: this.fitted.logMarginalLikelihood };
  }

  fit(x: readonly (readonly number[])[], y: readonly number[]): void {
    checkTrainingSet(this.name, x, y);
    const xs = fitStandardizer(x);
    const ys = targetScale(y);
    const rows = standardize(xs, x);
    const targets = y.map((v) => (v - ys.mean) / ys.std);
    const { weights } = ridgeFit(rows, targets, this.cfg.ridge_alphas);
    const w0 = [...weights, 0];
    const dist = pairwise(rows, rows);
    const scale = Math.sqrt(Math.max(1, rows[0]!.length));
    let best: { state: GpState; solved: Fitted } | undefined;
    for (const l of this.cfg.lengthscales) for (const signal of this.cfg.signal_variances) {
      for (const noise of this.cfg.noise_variances) for (const weight of this.cfg.weight_variances) {
        const hyper = { lengthscale: l * scale, signal, noise, weight };
        const solved = this.solve(rows, targets, w0, dist, hyper);
        if (!solved) continue;
        const r = residual(rows, targets, w0);
        const lml = -0.5 * dot(r, solved.alpha.getColumn(0)) - logDetHalf(solved.chol) - 0.5 * rows.length * Math.log(2 * Math.PI);
        if (!best || lml > best.state.logMarginalLikelihood) {
          best = { state: { x: xs, y: ys, rows, targets, w0, hyper, logMarginalLikelihood: lml }, solved };
        }
      }
    }
    if (!best) throw new PredictorError('GPNAS: no hyper-parameter setting gave a positive definite covariance.');
    this.fitted = best.state;
    this.solved = best.solved;
  }

  predict(x: readonly (readonly number[])[]): Prediction {
    const f = this.need();
    const { chol, alpha } = this.solved!;
    const rows = standardize(f.x, x);
    const { signal, weight } = f.hyper;
    const kStar = pairwise(rows, f.rows).map((r) => r.map((d) => signal * this.kernel(d, f.hyper.lengthscale)));
    const mean: number[] = [];
    const std: number[] = [];
    rows.forEach((row, i) => {
      const h = [...row, 1];
      // Cross-covariance with each training row: s^2 k(x*, x_j) + sigma_w^2 h*^T h_j.
      const v = f.rows.map((tr, j) => kStar[i]![j]! + weight * dot(h, [...tr, 1]));
      mean.push(dot(h, f.w0) + dot(v, alpha.getColumn(0)));
      const cInvV = chol.solve(Matrix.columnVector(v)).getColumn(0);
      const variance = signal + weight * dot(h, h) - dot(v, cInvV);
      std.push(Math.sqrt(Math.max(0, variance)));
    });
    return { mean: mean.map((m) => f.y.mean + f.y.std * m), std: std.map((s) => s * f.y.std) };
  }

  state(): GpState {
    return this.need();
  }

  load(state: unknown): void {
    const s = state as GpState;
    const solved = this.solve(s.rows, s.targets, s.w0, pairwise(s.rows, s.rows), s.hyper);
    if (!solved) throw new PredictorError('GPNAS: the saved fit no longer gives a positive definite covariance.');
    this.fitted = s;
    this.solved = solved;
  }

  private kernel(d: number, l: number): number {
    return this.cfg.kernel === 'rbf' ? Math.exp(-(d * d) / (2 * l * l)) : Math.exp(-d / l);
  }

  /** Cholesky of C = s^2 K + sigma_w^2 H H^T + sigma_n^2 I and C^-1 (t - H w0); undefined if C is not positive definite. */
  private solve(rows: number[][], targets: number[], w0: number[], dist: number[][], hyper: Hyper): Fitted | undefined {
    const n = rows.length;
    const c = new Matrix(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const lin = hyper.weight * (dot(rows[i]!, rows[j]!) + 1);
      c.set(i, j, hyper.signal * this.kernel(dist[i]![j]!, hyper.lengthscale) + lin + (i === j ? hyper.noise : 0));
    }
    const chol = new CholeskyDecomposition(c);
    if (!chol.isPositiveDefinite()) return undefined;
    return { chol, alpha: chol.solve(Matrix.columnVector(residual(rows, targets, w0))) };
  }

  private need(): GpState {
    if (!this.fitted) throw new PredictorError('GPNAS: predict before fit.');
    return this.fitted;
  }
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function pairwise(a: readonly number[][], b: readonly number[][]): number[][] {
  return a.map((r) => b.map((q) => Math.sqrt(r.reduce((s, v, k) => s + (v - q[k]!) ** 2, 0))));
}

function residual(rows: readonly number[][], targets: readonly number[], w0: readonly number[]): number[] {
  return rows.map((r, i) => targets[i]! - dot([...r, 1], w0));
}

/** Half the log-determinant of C from its Cholesky factor: sum of log L_ii. */
function logDetHalf(chol: CholeskyDecomposition): number {
  const l = chol.lowerTriangularMatrix;
  let s = 0;
  for (let i = 0; i < l.rows; i++) s += Math.log(l.get(i, i));
  return s;
}

PREDICTORS.register('GPNAS', GpNas, {
  schema: {
    type: 'object',
    properties: {
      kernel: { type: 'string', enum: ['rbf', 'exponential'], default: DEFAULTS.kernel, description: "GP kernel: 'rbf' or 'exponential' (GP-NAS's two)." },
      lengthscales: listSchema('Length scales tried, in units of sqrt(feature count).', DEFAULTS.lengthscales),
      signal_variances: listSchema('Kernel amplitudes tried (z-scored targets).', DEFAULTS.signal_variances),
      noise_variances: listSchema('Noise variances tried.', DEFAULTS.noise_variances),
      weight_variances: listSchema("Prior variances of the linear weights (GP-NAS's hp_cov).", DEFAULTS.weight_variances),
      ridge_alphas: listSchema('Ridge penalties for the weights\' prior mean.', DEFAULTS.ridge_alphas),
    },
    additionalProperties: false,
  },
});
