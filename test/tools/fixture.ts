import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/tf.js';
import '../../src/register_all.js';
import { MODELS } from '../../src/registry/registries.js';
import type { Supernet } from '../../src/models/types.js';
import { batchNormLayers } from '../../src/models/ops/dynamic_batchnorm2d.js';
import { CHECKPOINT_FORMAT_VERSION, encodeCheckpoint, type TensorData } from '../../src/engine/checkpoint.js';
import { Rng } from '../../src/services/rng.js';

/** The Track-1 space (depths, ratios, tied stem: every official code decodes into it) with tiny widths. */
const TINY_TRACK1 = {
  type: 'ResNetSupernet', block: 'BasicBlock', in_channels: 1, input_size: 8, num_classes: 4,
  width_ratios: [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7],
  stem: { base_channels: 16, kernel_size: 3, stride: 1, max_pool: true, tie_to_stage1: true },
  stages: [
    { depth_choices: [2, 3, 4, 5], base_channels: 16, stride: 1 },
    { depth_choices: [2, 3, 4, 5], base_channels: 16, stride: 2 },
    { depth_choices: [2, 3, 4, 5, 6, 7, 8], base_channels: 16, stride: 2 },
    { depth_choices: [2, 3, 4, 5], base_channels: 16, stride: 1 },
  ],
};

/** A tiny supernet config on synthetic 8x8 data, written to a temp dir with a checkpoint of random weights. */
export function writeTinyFixture(space: 'mini' | 'track1' = 'mini'): { dir: string; config: string; checkpoint: string; architecture: Record<string, unknown> } {
  const dir = mkdtempSync(join(tmpdir(), 'tools-'));
  const architecture = space === 'track1' ? TINY_TRACK1 : {
    type: 'ResNetSupernet', block: 'BasicBlock', in_channels: 1, input_size: 8, num_classes: 4, width_ratios: [1.0, 0.5],
    stem: { base_channels: 8, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true },
    stages: [
      { depth_choices: [1, 2], base_channels: 8, stride: 1 },
      { depth_choices: [1, 2], base_channels: 16, stride: 2 },
    ],
  };
  const data = (n: number, seed: number) => ({
    batch_size: 8, num_workers: 0,
    dataset: { type: 'Synthetic', num_samples: n, image_size: [8, 8], channels: 1, num_classes: 4, seed },
  });
  const config = {
    model: { type: 'SPOS', architecture },
    train_dataloader: data(32, 1),
    val_dataloader: data(24, 2),
    test_cfg: { calibrate_bn: true, calibrate_sample_num: 16 },
    search_cfg: {
      searcher: { type: 'EvolutionSearch', population_size: 4, top_k: 2, num_mutation: 2, num_crossover: 2, max_generations: 2, seed: 1 },
      val_sample_num: 16,
    },
  };
  const configPath = join(dir, 'tiny.yaml');
  writeFileSync(configPath, JSON.stringify(config));
  const net = MODELS.build<Supernet>(architecture as never);
  const rng = new Rng(5);
  for (const bn of batchNormLayers(net)) {
    const c = bn.runningMean!.shape[0]!;
    bn.runningMean!.assign(tf.tensor1d(Array.from({ length: c }, () => rng.random() - 0.5)));
    bn.gamma!.assign(tf.tensor1d(Array.from({ length: c }, () => 0.5 + rng.random())));
  }
  const tensors: Record<string, TensorData> = {};
  for (const [name, v] of Object.entries(net.stateDict())) {
    tensors[`model/architecture.${name}`] = { dtype: 'float32', shape: [...v.shape], values: new Float32Array(v.dataSync() as Float32Array) };
  }
  const checkpoint = join(dir, 'epoch_1.ckpt');
  writeFileSync(checkpoint, encodeCheckpoint({ meta: { epoch: 1, iter: 4, time: '', version: CHECKPOINT_FORMAT_VERSION }, tensors, state: {} }));
  net.dispose();
  return { dir, config: configPath, checkpoint, architecture };
}

/** Collects what a tool writes. */
export function sink(): { write(t: string): void; text: string } {
  return { text: '', write(t: string) { this.text += t; } };
}

/** The JSON object a tool prints as its last line. */
export function lastJson(text: string): Record<string, unknown> {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}
