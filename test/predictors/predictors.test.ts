import { describe, expect, it } from 'vitest';
import '../../src/register_all.js';
import { PREDICTORS } from '../../src/registry/registries.js';
import { MODELS } from '../../src/registry/registries.js';
import { buildContext } from '../../src/models/ops/build_context.js';
import type { Supernet } from '../../src/models/types.js';
import { codeSpaceOfSupernet } from '../../src/track1/supernet_code_space.js';
import {
  crossValidate, featureNames, featureRow, GpNas, PredictorError, RandomForestPredictor, RidgeRegression, type Predictor,
} from '../../src/predictors/index.js';

const roundTrip = (p: Predictor, make: () => Predictor, x: number[][]) => {
  const q = make();
  q.load(JSON.parse(JSON.stringify(p.state())));
  expect(q.predict(x)).toEqual(p.predict(x));
};

describe('Ridge', () => {
  it('matches the closed form on z-scored data: y = 2x - 1, alpha 4 shrinks the slope to 4 / (4 + 4)', () => {
    // z = (x - 2.5) / sqrt(1.25) has sum z^2 = 4 and t = z, so w = 4 / (4 + alpha) = 0.5; at x = 5,
    // t = 0.5 * 2.236 = 1.118 and y = 4 + 2.236 * 1.118 = 6.5.
    const r = new RidgeRegression({ alphas: [4] });
    r.fit([[1], [2], [3], [4]], [1, 3, 5, 7]);
    expect(r.predict([[5]]).mean[0]).toBeCloseTo(6.5, 10);
    roundTrip(r, () => new RidgeRegression(), [[5], [0]]);
  });

  it('picks the penalty by leave-one-out error: the small one on noiseless linear data', () => {
    const x = [...Array(8).keys()].map((i) => [i, (i * 3) % 5]);
    const r = new RidgeRegression({ alphas: [1e6, 1e-6] });
    r.fit(x, x.map(([a, b]) => a! - 2 * b!));
    expect(r.alpha).toBe(1e-6);
    expect(r.predict([[10, 1]]).mean[0]).toBeCloseTo(8, 4);
  });
});

describe('GPNAS', () => {
  it('equals the hand-computed posterior of two points (ridge prior mean 0.5, RBF l = 1, noise 0.5)', () => {
    const gp = new GpNas({ kernel: 'rbf', lengthscales: [1], signal_variances: [1], noise_variances: [0.5], weight_variances: [1e-12], ridge_alphas: [2] });
    gp.fit([[0], [1], [0], [1]].slice(0, 2), [0, 1]);
    // Standardised: z = [-1, 1], t = [-1, 1]; w0 = 2 / (2 + 2) = 0.5; r = t - 0.5 z = [-0.5, 0.5];
    // C = K + 0.5 I with K01 = exp(-2); at z = 1, k* = [exp(-2), 1].
    const e2 = Math.exp(-2);
    const det = 1.5 * 1.5 - e2 * e2;
    const cinv = [[1.5 / det, -e2 / det], [-e2 / det, 1.5 / det]];
    const k = [e2, 1];
    const r = [-0.5, 0.5];
    const cr = [cinv[0]![0]! * r[0]! + cinv[0]![1]! * r[1]!, cinv[1]![0]! * r[0]! + cinv[1]![1]! * r[1]!];
    const meanT = 0.5 + k[0]! * cr[0]! + k[1]! * cr[1]!;
    const ck = [cinv[0]![0]! * k[0]! + cinv[0]![1]! * k[1]!, cinv[1]![0]! * k[0]! + cinv[1]![1]! * k[1]!];
    const varT = 1 - (k[0]! * ck[0]! + k[1]! * ck[1]!);
    const p = gp.predict([[1], [0.5]]);
    expect(p.mean[0]).toBeCloseTo(0.5 + 0.5 * meanT, 8);
    expect(p.std![0]).toBeCloseTo(0.5 * Math.sqrt(varT), 6);
    expect(p.mean[1]).toBeCloseTo(0.5, 8);
  });

  it('chooses hyper-parameters by marginal likelihood, interpolates a smooth function and is unsure far away', () => {
    const x = [...Array(12).keys()].map((i) => [i / 2]);
    const y = x.map(([v]) => Math.sin(v!) + 0.1 * v!);
    const gp = new GpNas({ kernel: 'rbf' });
    gp.fit(x, y);
    expect(gp.selected!.noise).toBeLessThanOrEqual(0.03);
    const near = gp.predict([[2.25]]);
    expect(near.mean[0]).toBeCloseTo(Math.sin(2.25) + 0.225, 1);
    expect(gp.predict([[30]]).std![0]).toBeGreaterThan(3 * near.std![0]!);
    roundTrip(gp, () => new GpNas({ kernel: 'rbf' }), [[2.25], [7]]);
    const ex = new GpNas({ kernel: 'exponential' });
    ex.fit(x, y);
    expect(ex.predict([[2.25]]).mean[0]).toBeCloseTo(Math.sin(2.25) + 0.225, 0);
  });
});

describe('RandomForest', () => {
  it('learns a step no linear model fits, seeded, with a spread across trees, and round-trips its state', () => {
    // ml-cart stops at a split whose children are both constant, so the step carries a little noise.
    const x = [...Array(20).keys()].map((i) => [i, (i * 7) % 3]);
    const y = x.map(([a]) => (a! < 10 ? 0 : 1) + 0.05 * Math.sin(1.7 * a!));
    const make = () => new RandomForestPredictor({ n_estimators: 30, seed: 3 });
    const rf = make();
    rf.fit(x, y);
    const p = rf.predict([[2, 0], [17, 1], [9.5, 0]]);
    expect(p.mean[0]).toBeLessThan(0.15);
    expect(p.mean[1]).toBeGreaterThan(0.85);
    expect(p.std![2]).toBeGreaterThan(0);
    const again = make();
    again.fit(x, y);
    expect(again.predict([[9.5, 0]])).toEqual(rf.predict([[9.5, 0]]));
    roundTrip(rf, make, [[2, 0], [9.5, 0]]);
  });
});

describe('predictor plumbing', () => {
  it('registers Ridge, GPNAS and RandomForest, and refuses too few or ragged rows', () => {
    expect(PREDICTORS.names()).toEqual(['GPNAS', 'RandomForest', 'Ridge']);
    expect(() => new GpNas().fit([[1]], [1])).toThrow(PredictorError);
    expect(() => new RidgeRegression().fit([[1], [2, 3]], [1, 2])).toThrow(/row 1 has 2 values/);
    expect(() => new RidgeRegression().predict([[1]])).toThrow(/predict before fit/);
  });

  it('features: code choices with 0 for unused blocks, log10 MACs and params, and named score columns by code', () => {
    const arch = {
      type: 'ResNetSupernet', block: 'BasicBlock', in_channels: 1, input_size: 8, num_classes: 4, width_ratios: [1.0, 0.5],
      stem: { base_channels: 8, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true },
      stages: [{ depth_choices: [1, 2], base_channels: 8, stride: 1 }, { depth_choices: [1, 2], base_channels: 16, stride: 2 }],
    };
    const space = codeSpaceOfSupernet(arch);
    const net = MODELS.build<Supernet>(arch as never, { ctx: buildContext({ allocate: false }) });
    const code = space.encode({
      'stage1.depth': 1, 'stage1.out_channels': 0.5, 'stage1.block1.mid_channels': 1.0, 'stage1.block2.mid_channels': 1.0,
      'stage2.depth': 2, 'stage2.out_channels': 1.0, 'stage2.block1.mid_channels': 0.5, 'stage2.block2.mid_channels': 1.0,
    });
    const spec = { choices: true, complexity: true, extra: ['zen'] };
    expect(featureNames(spec, space)).toEqual([...space.aliases(), 'log10_macs', 'log10_params', 'zen']);
    const c = net.complexity(space.decode(code));
    const row = featureRow(code, spec, { space, supernet: net, extra: new Map([['zen', new Map([[code, 7.5]])]]) });
    expect(row).toEqual([1, 2, 0.5, 1.0, 0, 1.0, 0.5, 1.0, Math.log10(c.macs), Math.log10(c.params), 7.5]);
    expect(() => featureRow(code, spec, { space, supernet: net, extra: new Map([['zen', new Map()]]) })).toThrow(/no value for arch/);
  });

  it('cross-validation: test-set Kendall per random split, baselines on the same splits, paired comparison', () => {
    const y = [...Array(16).keys()].map((i) => i + 0.5 * Math.sin(i));
    const x = y.map((v) => [v]);
    const noisy = y.map((v, i) => v + 6 * Math.cos(7 * i));
    const cv = crossValidate(x, y, () => new RidgeRegression(), { trainSize: 6, repeats: 20, seed: 1 }, { exact: y, noisy }, 'noisy');
    expect(cv).toMatchObject({ train_size: 6, test_size: 10, repeats: 20 });
    expect(cv.predictor.mean).toBe(1);
    expect(cv.baselines.exact!.mean).toBe(1);
    expect(cv.baselines.noisy!.mean).toBeLessThan(0.9);
    expect(cv.versus).toMatchObject({ baseline: 'noisy', wins: 1 });
    // With only the training labels the exact column ranks the training subnets best (ties go to the first listed).
    expect(cv.selected_baseline).toMatchObject({ mean: 1, picks: { exact: 20 } });
    expect(cv.versus_selected).toMatchObject({ mean: 0, wins: 0 });
    expect(crossValidate(x, y, () => new RidgeRegression(), { trainSize: 6, repeats: 20, seed: 1 }, { noisy }).baselines).toEqual(
      { noisy: cv.baselines.noisy });
    expect(() => crossValidate(x, y, () => new RidgeRegression(), { trainSize: 15, repeats: 1, seed: 0 })).toThrow(/too few/);
  });
});
