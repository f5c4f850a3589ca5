import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { loadConfig } from '../../src/cli/load_config.js';
import { useBackend } from '../../src/backend/index.js';
import { ALGORITHMS } from '../../src/registry/registries.js';
import type { TypedConfig } from '../../src/registry/registry.js';
import { DefaultOptimWrapper } from '../../src/engine/optim/optim_wrapper.js';
import { encodeCheckpoint, type TensorData } from '../../src/engine/checkpoint.js';
import type { Algorithm } from '../../src/algorithms/types.js';
import type { BigNAS } from '../../src/algorithms/bignas.js';
import type { Distill } from '../../src/algorithms/distill.js';
import { isSupernet } from '../../src/models/types.js';
import { Rng } from '../../src/services/rng.js';

const CONFIGS = [
  'configs/mnist/resnet_mini_bignas.yaml',
  'configs/mnist/resnet_mini_spos.yaml',
  'configs/track1/resnet48_bignas.yaml',
  'configs/track1/resnet48_spos.yaml',
  'configs/distill/resnet_mini_kd_mnist.yaml',
];

function mnistBatch(n: number) {
  const rng = new Rng(2);
  return {
    images: tf.tensor4d(Array.from({ length: n * 28 * 28 }, () => rng.normal()), [n, 28, 28, 1]),
    labels: tf.tensor1d(Array.from({ length: n }, (_, i) => i % 10), 'int32'),
  };
}

/** One real step: the config's algorithm and optim wrapper, a random MNIST-shaped batch. */
function step(algo: Algorithm, optimCfg: unknown, iter = 0) {
  const optim = new DefaultOptimWrapper(optimCfg as never, algo);
  const batch = mnistBatch(4);
  const before = algo.architecture.parameters().map((v) => v.dataSync().slice());
  const out = algo.trainStep(batch, { epoch: 0, iter, maxIters: 10, itersPerEpoch: 10, rng: new Rng(0), optim });
  const changed = algo.architecture.parameters().some((v, i) => v.dataSync().some((x, j) => x !== before[i]![j]));
  tf.dispose([batch.images, batch.labels]);
  return { out, changed };
}

describe('shipped algorithm configs', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.each(CONFIGS)('%s loads and validates', async (path) => {
    const { config } = await loadConfig(path);
    expect((config.model as TypedConfig).type).toMatch(/^(BigNAS|SPOS|Distill)$/);
  });

  // The ranking-v2 method configs (bench/ranking/run_v2.ts) run for tens of minutes each: a typo
  // or an option outside a schema must fail here, not in the benchmark.
  it.each(readdirSync('configs/bench/v2').filter((f) => f.endsWith('.yaml')).map((f) => `configs/bench/v2/${f}`))('%s loads and validates', async (path) => {
    const { config } = await loadConfig(path);
    expect(typeof (config.model as TypedConfig).type).toBe('string');
  });

  it("the demo recipe's teacher, written out, is the space its teacher_max.yaml checkpoint was trained in", async () => {
    // A stale copy of the space here does not fail until the teacher checkpoint is loaded, after training it.
    const demo = (await loadConfig('configs/bench/v2/demo_distill.yaml')).config as { model: { teacher: { architecture: unknown } } };
    const teacher = (await loadConfig('configs/bench/v2/teacher_max.yaml')).config as { model: { architecture: unknown } };
    expect(demo.model.teacher.architecture).toEqual(teacher.model.architecture);
  });

  it('the Track-1 BigNAS and SPOS configs differ only in the model type and its options', async () => {
    const bignas = (await loadConfig('configs/track1/resnet48_bignas.yaml')).config;
    const spos = (await loadConfig('configs/track1/resnet48_spos.yaml')).config;
    const { model: mb, ...restB } = bignas as Record<string, Record<string, unknown>>;
    const { model: ms, ...restS } = spos as Record<string, Record<string, unknown>>;
    expect(restB).toEqual(restS);
    expect(mb!.architecture).toEqual(ms!.architecture);
    expect(mb!.loss).toEqual({ type: 'CrossEntropyLoss', label_smoothing: 0.1, loss_weight: 1 });
    expect([mb!.type, ms!.type]).toEqual(['BigNAS', 'SPOS']);
    const recipe = bignas.optim_wrapper as { optimizer: Record<string, unknown>; paramwise_cfg: Record<string, number> };
    expect(recipe.optimizer).toMatchObject({ type: 'SGD', lr: 0.2, momentum: 0.9, nesterov: true, weight_decay: 1e-4 });
    expect(recipe.paramwise_cfg).toEqual({ norm_decay_mult: 0, bias_decay_mult: 0 });
  });

  it('the MNIST main job builds the real supernet and takes a sandwich step with the real optimizer', async () => {
    const { config } = await loadConfig('configs/mnist/resnet_mini_bignas.yaml');
    const algo = ALGORITHMS.build<BigNAS>(config.model as TypedConfig);
    expect(isSupernet(algo.architecture)).toBe(true);
    const { out, changed } = step(algo, config.optim_wrapper);
    expect(Object.keys(out).sort()).toEqual(['loss', 'loss_max', 'loss_min', 'loss_random']);
    expect(Number.isFinite(out.loss)).toBe(true);
    expect(changed).toBe(true);
    algo.dispose();
  });

  describe('the distillation config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfrazor-kdcfg-'));
    const ckpt = join(dir, 'teacher.ckpt');
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('loads the teacher from a main-job checkpoint and trains the min-subnet student', async () => {
      const main = (await loadConfig('configs/mnist/resnet_mini_bignas.yaml')).config;
      const trained = ALGORITHMS.build<Algorithm>(main.model as TypedConfig);
      const tensors: Record<string, TensorData> = {};
      // Scaled weights, so that loading them is distinguishable from the (seeded, equal) init.
      for (const [name, v] of Object.entries(trained.stateDict())) {
        tensors[name] = { dtype: 'float32', shape: v.shape, values: Float32Array.from(v.dataSync(), (x) => x * 0.9) };
      }
      writeFileSync(ckpt, encodeCheckpoint({ meta: { epoch: 1, iter: 1, time: '', version: 1 }, tensors, state: {} }));

      const { config } = await loadConfig('configs/distill/resnet_mini_kd_mnist.yaml', [`model.teacher.checkpoint=${ckpt}`]);
      const algo = ALGORITHMS.build<Distill>(config.model as TypedConfig);
      const student = algo.architecture;
      expect(isSupernet(student) && student.mutator.mutables.every((m) => m.isFixed)).toBe(true);
      expect(isSupernet(student) && student.complexity().macs).toBe(2024992);
      for (const [name, v] of Object.entries(algo.teacher.stateDict())) {
        expect(Array.from(v.dataSync()), name).toEqual(Array.from(tensors[`architecture.${name}`]!.values));
      }
      const { out, changed } = step(algo, config.optim_wrapper);
      expect(Number.isFinite(out.loss_kd)).toBe(true);
      expect(changed).toBe(true);
      algo.dispose();
      trained.dispose();
    });
  });
});
