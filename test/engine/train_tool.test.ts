import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../tools/train.js';
import '../../src/register_all.js';
import { MODELS } from '../../src/registry/registries.js';
import type { TypedConfig } from '../../src/registry/registry.js';
import type { Supernet } from '../../src/models/types.js';

const CONFIG = `
model:
  type: SPOS
  architecture:
    type: ResNetSupernet
    in_channels: 1
    input_size: 8
    num_classes: 3
    width_ratios: [1.0, 0.5]
    divisor: 2
    stem: {base_channels: 4, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true}
    stages:
      - {depth_choices: [1, 2], base_channels: 4, stride: 2}
train_dataloader:
  batch_size: 4
  shuffle: true
  num_workers: 0
  dataset: {type: Synthetic, num_samples: 12, image_size: [8, 8], num_classes: 3}
val_dataloader:
  batch_size: 6
  num_workers: 0
  dataset: {type: Synthetic, num_samples: 6, image_size: [8, 8], num_classes: 3, seed: 1}
optim_wrapper:
  optimizer: {type: SGD, lr: 0.05, momentum: 0.9, weight_decay: 0.0001}
  paramwise_cfg: {norm_decay_mult: 0, bias_decay_mult: 0}
param_scheduler:
  - {type: LinearLR, start_factor: 0.5, end: 2, by_epoch: false}
train_cfg: {by_epoch: false, max_iters: 3, val_interval: 0}
val_cfg: {calibrate_sample_num: 8, topk: [1]}
default_hooks:
  logger: {type: LoggerHook, interval: 1}
  checkpoint: {type: CheckpointHook, interval: 3, by_epoch: false}
`;

function sink(): { write(t: string): void; text: () => string } {
  let text = '';
  return { write: (t: string) => void (text += t), text: () => text };
}

describe('tools/train.ts', () => {
  it('trains a supernet config, reports max/min subnets, resumes, and trains a fixed subnet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-'));
    const cfg = join(dir, 'tiny.yaml');
    writeFileSync(cfg, CONFIG);
    const work = join(dir, 'work');
    const out = sink();
    expect(await main([cfg, '--work-dir', work, '--backend', 'cpu'], out)).toBe(0);
    expect(out.text()).toMatch(/max subnet: top1 \d+\.\d\d%.*M MACs/);
    expect(out.text()).toMatch(/min subnet: top1/);
    const final = JSON.parse(readFileSync(join(work, 'final_metrics.json'), 'utf8'));
    expect(final.iter).toBe(3);
    expect(Object.keys(final.metrics).sort()).toEqual(['max/top1', 'min/top1']);
    expect(readFileSync(join(work, 'scalars.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4);
    expect(existsSync(join(work, 'iter_3.ckpt'))).toBe(true);
    expect(existsSync(join(work, 'tiny.yaml'))).toBe(true);

    const resumed = sink();
    expect(await main([cfg, '--work-dir', work, '--backend', 'cpu', '--resume', '--cfg-options', 'train_cfg.max_iters=5'], resumed)).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'final_metrics.json'), 'utf8')).iter).toBe(5);
    const trainLines = readFileSync(join(work, 'scalars.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.mode === 'train');
    expect(trainLines.map((l) => l.iter)).toEqual([1, 2, 3, 4, 5]);

    // The min subnet as a subnet YAML ({alias: {chosen: value}}), trained stand-alone.
    const arch = MODELS.build<Supernet>((parse(CONFIG) as { model: { architecture: TypedConfig } }).model.architecture);
    const subnet = join(dir, 'min.yaml');
    writeFileSync(subnet, stringify(Object.fromEntries(Object.entries(arch.mutator.setMin()).map(([k, v]) => [k, { chosen: v }]))));
    arch.dispose();
    const fixedOut = sink();
    const fixedWork = join(dir, 'fixed');
    expect(await main([cfg, '--work-dir', fixedWork, '--backend', 'cpu', '--subnet', subnet], fixedOut)).toBe(0);
    expect(fixedOut.text()).toMatch(/^network: top1/);
    const fixedFinal = JSON.parse(readFileSync(join(fixedWork, 'final_metrics.json'), 'utf8'));
    expect(Object.keys(fixedFinal.metrics)).toEqual(['top1']);
  });
});
