import { describe, expect, it } from 'vitest';
import { activeWasmTrainingKernels, useBackend, type BackendName } from '../../src/backend/index.js';
import { tf } from '../../src/tf.js';
import { TINY_NET_SHAPES, tinyBatch, tinyNetLoss, tinyNetParams } from './helpers/tiny_net.js';

async function networkGradients(backend: BackendName): Promise<Record<string, Float32Array>> {
  await useBackend(backend);
  const init = tinyNetParams(11);
  const names = Object.keys(TINY_NET_SHAPES);
  const grads = tf.tidy(() => {
    const { x, labels } = tinyBatch(6, 3);
    const params = names.map((n) => tf.tensor(init[n], TINY_NET_SHAPES[n]));
    return tf.grads((...ps: tf.Tensor[]) =>
      tinyNetLoss(Object.fromEntries(names.map((n, i) => [n, ps[i]])), x, labels))(params);
  });
  const out = Object.fromEntries(names.map((n, i) => [n, grads[i].dataSync() as Float32Array]));
  tf.dispose(grads);
  return out;
}

function trainSteps(steps: number): number[] {
  const init = tinyNetParams(5);
  const vars = Object.fromEntries(Object.entries(init).map(([n, v]) =>
    [n, tf.tidy(() => tf.variable(tf.tensor(v, TINY_NET_SHAPES[n])))]));
  const { x, labels } = tinyBatch(6, 8);
  const optimizer = tf.train.sgd(0.1);
  const counts: number[] = [];
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tinyNetLoss(vars, x, labels), false)?.dispose();
    counts.push(tf.memory().numTensors);
  }
  const backendIds = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  tf.dispose([x, labels, ...Object.values(vars)]);
  optimizer.dispose();
  counts.push(backendIds);
  return counts;
}

describe('whole-network gradients on wasm', () => {
  it('uses the tfrazor kernels on wasm', async () => {
    await useBackend('wasm');
    expect(activeWasmTrainingKernels().sort()).toEqual([
      'BatchMatMul', 'Cast', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput', 'FusedBatchNorm', 'Identity', 'Mean', 'Sum', 'TfrazorSgdStep', 'Tile',
    ]);
  });

  // Float32 sums on wasm are less exact than on cpu and batch norm magnifies that: deep nets at
  // batch 64 need a few percent; this small net measures at most 2.5e-6, so 1e-3 keeps a wide margin.
  it('match the cpu backend within 1e-3 of the largest gradient of each parameter', async () => {
    const cpu = await networkGradients('cpu');
    const wasm = await networkGradients('wasm');
    for (const name of Object.keys(TINY_NET_SHAPES)) {
      const ref = cpu[name];
      const scale = Math.max(...Array.from(ref, Math.abs));
      const diff = Math.max(...Array.from(ref, (v, i) => Math.abs(v - wasm[name][i])));
      expect(scale, `${name} gradient is not trivially zero`).toBeGreaterThan(1e-6);
      expect(diff / scale, `${name}: max |wasm - cpu| / max |cpu|`).toBeLessThan(1e-3);
    }
  });

  it('keeps the tensor count flat over SGD steps, including the kernels\' wasm heap buffers', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const counts = trainSteps(4);
    const backendIds = counts.pop()!;
    expect(new Set(counts.slice(1)).size, `numTensors per step: ${counts}`).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    // Live wasm buffers at the last step: the tensors the engine knows about, nothing more.
    expect(backendIds).toBeLessThanOrEqual(counts[counts.length - 1]);
  });
});
