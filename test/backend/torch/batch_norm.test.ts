import { describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/backend/index.js';
import { hasNativeBatchNorm, nativeBatchNormGrad, nativeBatchNormTrain } from '../../../src/backend/native_ops.js';
import { tf } from '../../../src/tf.js';
import { relativeMaxError } from '../helpers/conv_grads.js';
import { seededValues } from '../helpers/reference_conv.js';
import { torchBuilt } from './availability.js';

const EPS = 1e-5;

type Act = 'linear' | 'relu' | 'relu6';
const ACT: Record<Act, (v: number) => number> = { linear: (v) => v, relu: (v) => Math.max(0, v), relu6: (v) => Math.min(6, Math.max(0, v)) };
const PASSES: Record<Act, (v: number) => boolean> = { linear: () => true, relu: (v) => v > 0, relu6: (v) => v > 0 && v < 6 };

/** Train-mode batch norm, an activation, and their closed-form gradients in float64, from the definitions. */
function reference(x: Float64Array, shape: number[], gamma: Float64Array, beta: Float64Array, dyOut: Float64Array, act: Act) {
  const c = shape[3];
  const rows = x.length / c;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let i = 0; i < x.length; i++) mean[i % c] += x[i] / rows;
  for (let i = 0; i < x.length; i++) variance[i % c] += (x[i] - mean[i % c]) ** 2 / rows;
  const inv = variance.map((v) => 1 / Math.sqrt(v + EPS));
  const xhat = x.map((v, i) => (v - mean[i % c]) * inv[i % c]);
  const pre = xhat.map((v, i) => v * gamma[i % c] + beta[i % c]);
  const y = pre.map(ACT[act]);
  const dy = dyOut.map((d, i) => (PASSES[act](pre[i]) ? d : 0));
  const dbeta = new Float64Array(c);
  const dgamma = new Float64Array(c);
  for (let i = 0; i < x.length; i++) {
    dbeta[i % c] += dy[i];
    dgamma[i % c] += dy[i] * xhat[i];
  }
  const dx = dy.map((d, i) => gamma[i % c] * inv[i % c] * (d - dbeta[i % c] / rows - xhat[i] * dgamma[i % c] / rows));
  return { y, mean, variance, dx, dgamma, dbeta };
}

describe.skipIf(!torchBuilt)('libtorch train-mode batch norm (one kernel forward, one backward)', () => {
  // Two rows per channel would make dx a cancellation of near-equal terms (xhat = +-1), ill-conditioned
  // in float32 on any engine; six is the fewest rows here.
  const shapes = [[2, 5, 7, 3], [64, 4, 4, 16], [2, 1, 3, 6], [3, 9, 2, 1]];
  const cases = shapes.map((shape, i) => ({ shape, act: (['linear', 'relu', 'relu6', 'relu'] as const)[i] }));
  for (const { shape, act } of cases) {
    it(`[${shape}] ${act} matches the float64 definition within 1e-5: y, mean, variance, dx, dgamma, dbeta`, async () => {
      await useBackend('torch');
      expect(hasNativeBatchNorm()).toBe(true);
      const size = shape.reduce((a, b) => a * b, 1);
      const c = shape[3];
      // An offset and a scale per value, so that the statistics are not trivially 0 and 1.
      const x = seededValues(size, 3).map((v, i) => 2 + 3 * v + (i % c));
      // gamma up to 4.5 so that relu6 saturates some outputs.
      const gamma = seededValues(c, 4).map((v) => (act === 'relu6' ? 3 : 1) + 1.5 * v);
      const beta = seededValues(c, 5);
      const dy = seededValues(size, 6);
      const ref = reference(x, shape, gamma, beta, dy, act);
      if (act === 'relu6') expect(ref.y.some((v) => v === 6) && ref.y.some((v) => v === 0)).toBe(true);
      const before = tf.memory().numTensors;
      const [y, mean, variance, dx, dgamma, dbeta] = tf.tidy(() => {
        const xt = tf.tensor4d(Float32Array.from(x), shape as [number, number, number, number]);
        const gt = tf.tensor1d(Float32Array.from(gamma));
        const [yt, mt, vt] = nativeBatchNormTrain(xt, gt, tf.tensor1d(Float32Array.from(beta)), EPS, act);
        const grads = nativeBatchNormGrad(tf.tensor(Float32Array.from(dy), shape), xt, gt, mt, vt, EPS, act, yt);
        return [yt, mt, vt, ...grads];
      });
      const check = (t: tf.Tensor, expected: Float64Array, what: string) =>
        expect(relativeMaxError(t.dataSync() as Float32Array, expected), what).toBeLessThan(1e-5);
      check(y, ref.y, 'y');
      check(mean, ref.mean, 'mean');
      check(variance, ref.variance, 'biased variance');
      check(dx, ref.dx, 'dx');
      check(dgamma, ref.dgamma, 'dgamma');
      check(dbeta, ref.dbeta, 'dbeta');
      tf.dispose([y, mean, variance, dx, dgamma, dbeta]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('is absent on plain wasm and cpu, so the model composes batch norm from core ops there', async () => {
    await useBackend('wasm');
    expect(hasNativeBatchNorm()).toBe(false);
    await useBackend('cpu');
    expect(hasNativeBatchNorm()).toBe(false);
  });
});
