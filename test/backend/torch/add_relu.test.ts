import { describe, expect, it } from 'vitest';
import { useBackend, type BackendName } from '../../../src/backend/index.js';
import { addRelu } from '../../../src/backend/native_ops.js';
import { tf } from '../../../src/tf.js';
import { relativeMaxError } from '../helpers/conv_grads.js';
import { torchBuilt } from './availability.js';

async function valueAndGrads(backend: BackendName): Promise<Float32Array[]> {
  await useBackend(backend);
  const out = tf.tidy(() => {
    const a = tf.randomNormal([2, 5, 4, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const b = tf.randomNormal([2, 5, 4, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const r = tf.randomNormal([2, 5, 4, 3], 0, 1, 'float32', 3);
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(addRelu(x as tf.Tensor4D, y as tf.Tensor4D), r));
    const { value, grads } = tf.valueAndGrads(f)([a, b]);
    return [addRelu(a, b), value, ...grads];
  });
  const values = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  return values;
}

describe.skipIf(!torchBuilt)('libtorch relu(a + b) of a residual join', () => {
  it('matches relu(add) on cpu: value and both gradients; leaves no tensors', async () => {
    const torch = await valueAndGrads('torch');
    const before = tf.memory().numTensors;
    await valueAndGrads('torch');
    expect(tf.memory().numTensors).toBe(before);
    const cpu = await valueAndGrads('cpu');
    for (const [i, what] of ['relu(a+b)', 'loss', 'da', 'db'].entries()) {
      expect(relativeMaxError(torch[i]!, cpu[i]!), what).toBeLessThan(1e-6);
    }
    expect(torch[0]!.some((v) => v === 0) && torch[0]!.some((v) => v > 0)).toBe(true);
  });
});
