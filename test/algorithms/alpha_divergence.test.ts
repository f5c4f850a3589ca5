import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../../src/tf.js';
import { AlphaDivergence, alphaDivergence } from '../../src/algorithms/alpha_divergence.js';

const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
/** D_alpha(p || q) by hand: sum q (ratio^a - 1) / (a (a - 1)), ratio = p / q; a = 1: KL(p || q). */
const dAlpha = (zs: number[], zt: number[], a: number) => {
  const q = softmax(zs);
  const p = softmax(zt);
  if (Math.abs(a - 1) < 1e-3) return p.reduce((s, pi, i) => s + pi * Math.log(pi / q[i]!), 0);
  return q.reduce((s, qi, i) => s + (qi * ((p[i]! / qi) ** a - 1)) / (a * (a - 1)), 0);
};

const STUDENT = [[0.2, -0.5, 1.0], [1.5, 0.1, -0.3]];
const TEACHER = [[1.0, 0.3, -0.2], [0.0, 0.4, 0.9]];

function surrogateGrad(alpha: number, clip: number): number[][] {
  return tf.tidy(() => {
    const t = tf.tensor2d(TEACHER);
    const g = tf.grad((s: Tensor) => tf.sum(alphaDivergence(s, t, alpha, clip).surrogate))(tf.tensor2d(STUDENT));
    return g.arraySync() as number[][];
  });
}

describe("AlphaNet's alpha-divergence", () => {
  it('values match D_alpha by hand for alpha = -1 and 1', () => {
    for (const a of [-1, 1]) {
      const got = tf.tidy(() => Array.from(alphaDivergence(tf.tensor2d(STUDENT), tf.tensor2d(TEACHER), a, 1e9).value.dataSync()));
      got.forEach((v, i) => expect(v).toBeCloseTo(dAlpha(STUDENT[i]!, TEACHER[i]!, a), 5));
    }
  });

  it("the surrogate's gradient is the divergence's (finite differences), and q - p for alpha = 1", () => {
    for (const a of [-1, 0.5, 1]) {
      const g = surrogateGrad(a, 1e9);
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 3; j++) {
          const h = 1e-3;
          const up = STUDENT[i]!.map((v, k) => (k === j ? v + h : v));
          const down = STUDENT[i]!.map((v, k) => (k === j ? v - h : v));
          expect(g[i]![j]!).toBeCloseTo((dAlpha(up, TEACHER[i]!, a) - dAlpha(down, TEACHER[i]!, a)) / (2 * h), 3);
        }
      }
    }
    const g1 = surrogateGrad(1, 1e9);
    const q = softmax(STUDENT[0]!);
    const p = softmax(TEACHER[0]!);
    g1[0]!.forEach((v, j) => expect(v).toBeCloseTo(q[j]! - p[j]!, 5));
  });

  it('the loss follows, per sample, the larger of D_alpha_min and D_alpha_max', () => {
    const loss = new AlphaDivergence({ alpha_min: -1, alpha_max: 1, iw_clip: 1e9 });
    const g = tf.tidy(() => {
      const t = tf.tensor2d(TEACHER);
      return tf.grad((s: Tensor) => loss.forward(s, t))(tf.tensor2d(STUDENT)).arraySync() as number[][];
    });
    const left = surrogateGrad(-1, 1e9);
    const right = surrogateGrad(1, 1e9);
    for (let i = 0; i < 2; i++) {
      const pick = dAlpha(STUDENT[i]!, TEACHER[i]!, -1) > dAlpha(STUDENT[i]!, TEACHER[i]!, 1) ? left : right;
      g[i]!.forEach((v, j) => expect(v).toBeCloseTo(pick[i]![j]! / 2, 5));
    }
    // No gradient when the student matches the teacher.
    const zero = tf.tidy(() => tf.grad((s: Tensor) => loss.forward(s, tf.tensor2d(TEACHER)))(tf.tensor2d(TEACHER)).arraySync() as number[][]);
    zero.flat().forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-6));
  });
});
