import { describe, expect, it } from 'vitest';
import { useBackend, type BackendName } from '../../src/backend/index.js';
import { SGD_STEP } from '../../src/backend/wasm/sgd_step.js';
import { SGD, type SGDConfig } from '../../src/engine/optim/sgd.js';
import { tf } from '../../src/tf.js';
import { seededValues } from '../backend/helpers/reference_conv.js';

const seeded = (shape: number[], seed: number) =>
  tf.tensor(Float32Array.from(seededValues(shape.reduce((a, b) => a * b, 1), seed)), shape);

/** Parameter values after five SGD updates with fixed gradients, on `backend`. */
async function fiveSteps(backend: BackendName, cfg: Partial<SGDConfig>): Promise<Float32Array[]> {
  await useBackend(backend);
  const opt = new SGD({ lr: 0.1, ...cfg });
  const shapes = [[3, 3, 2, 4], [4]];
  const vars = shapes.map((s, i) => tf.tidy(() => tf.variable(seeded(s, 10 + i))));
  const params = vars.map((variable, i) => ({ name: `p${i}`, variable, weightDecay: i === 0 ? 5e-4 : 0 }));
  for (let step = 0; step < 5; step++) {
    const grads = shapes.map((s, i) => seeded(s, 100 * step + i));
    opt.update(params, grads, 0.1 * (1 - step / 10));
    tf.dispose(grads);
  }
  const out = vars.map((v) => v.dataSync() as Float32Array);
  opt.dispose();
  tf.dispose(vars);
  return out;
}

describe('SGD as one kernel per parameter (wasm and torch engines)', () => {
  const variants: Partial<SGDConfig>[] = [
    { momentum: 0.9, nesterov: true },
    { momentum: 0.9 },
    { momentum: 0.5, dampening: 0.3 },
    {},
  ];
  for (const cfg of variants) {
    it(`matches the composed update on cpu bit for bit: ${JSON.stringify(cfg)}`, async () => {
      await useBackend('wasm');
      expect(tf.getKernel(SGD_STEP, 'wasm')).toBeDefined();
      const before = tf.memory().numTensors;
      const fused = await fiveSteps('wasm', cfg);
      expect(tf.memory().numTensors).toBe(before);
      const composed = await fiveSteps('cpu', cfg);
      expect(tf.getKernel(SGD_STEP, 'cpu')).toBeUndefined();
      fused.forEach((values, i) => expect(Array.from(values)).toEqual(Array.from(composed[i]!)));
    });
  }
});
