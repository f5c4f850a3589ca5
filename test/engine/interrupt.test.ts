// Ctrl-C as a user presses it: a real SIGINT to the process group of `npx tsx tools/train.ts`
// mid-epoch saves iter_N.ckpt and exits 130, and --resume then ends exactly where an
// uninterrupted run ends.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../src/engine/checkpoint.js';
import { main } from '../../tools/train.js';

const ITERS = 60;
const CONFIG = `
model:
  type: SPOS
  architecture:
    type: ResNetSupernet
    in_channels: 1
    input_size: 8
    num_classes: 3
    width_ratios: [1.0, 0.5]
    stem: {base_channels: 4, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true}
    stages:
      - {depth_choices: [1, 2], base_channels: 8, stride: 2}
train_dataloader:
  batch_size: 4
  shuffle: true
  num_workers: 0
  dataset: {type: Synthetic, num_samples: ${4 * ITERS}, image_size: [8, 8], num_classes: 3}
val_dataloader:
  batch_size: 6
  num_workers: 0
  dataset: {type: Synthetic, num_samples: 6, image_size: [8, 8], num_classes: 3, seed: 1}
optim_wrapper:
  optimizer: {type: SGD, lr: 0.05, momentum: 0.9}
param_scheduler:
  - {type: CosineAnnealingLR, begin: 0, end: 1, by_epoch: true, convert_to_iter_based: true}
train_cfg: {by_epoch: true, max_epochs: 1, val_interval: 1}
val_cfg: {calibrate_sample_num: 8, topk: [1]}
default_hooks:
  logger: {type: LoggerHook, interval: 1}
  checkpoint: {type: CheckpointHook, interval: 1, max_keep: 0}
`;

const sink = () => ({ text: '', write(t: string) { this.text += t; } });

// A hook that blocks the thread for 150 ms per step (without using a core), as a real training
// step does for seconds: longer than tsx's parent waits for its child to acknowledge a signal.
const SLOW_STEP = `
import { HOOKS } from ${JSON.stringify(join(process.cwd(), 'src/registry/registries.js'))};
const cell = new Int32Array(new SharedArrayBuffer(4));
// After the logger (80), so the SIGINT sent on its line arrives while the thread is blocked.
class SlowStep { priority = 95; afterTrainIter() { Atomics.wait(cell, 0, 0, 150); } }
HOOKS.register('test/SlowStep', SlowStep);
`;

/** Start `tsx tools/train.ts` in its own process group; SIGINT the group once `iter [k/` is logged. */
function trainAndInterrupt(config: string, work: string, atIter: number): Promise<{ code: number | null; stderr: string }> {
  const plugin = join(work, '..', 'slow_step.mts'); // .mts: an ES module outside any package.json
  writeFileSync(plugin, SLOW_STEP);
  const slow = ['--cfg-options', `custom_imports=[${plugin}]`, 'custom_hooks=[{type: test/SlowStep}]'];
  return new Promise((resolve, reject) => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['tools/train.ts', config, '--work-dir', work, '--backend', 'cpu', ...slow], {
      detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 90_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && new RegExp(`iter \\[${atIter}/`).test(stderr)) {
        sent = true;
        // The whole group, as a terminal's Ctrl-C: tsx's parent, its child and the trainer.
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const weightsOf = (file: string) => {
  const { tensors } = decodeCheckpoint(readFileSync(file), file);
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, Array.from(t.values as Float32Array)]));
};

describe('Ctrl-C during training', () => {
  it('saves iter_N.ckpt mid-epoch, exits 130, and resumes to the uninterrupted result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'interrupt-'));
    const config = join(dir, 'tiny.yaml');
    writeFileSync(config, CONFIG);

    const work = join(dir, 'interrupted');
    const run = await trainAndInterrupt(config, work, 3);
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toContain('Interrupted: saving a checkpoint after this iteration');
    const saved = readdirSync(work).filter((f) => /^iter_\d+\.ckpt$/.test(f));
    expect(saved).toHaveLength(1);
    const n = Number(/\d+/.exec(saved[0]!)![0]);
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThan(ITERS);
    expect(run.stderr).toMatch(new RegExp(`Training interrupted after iteration ${n}; saved .*iter_${n}\\.ckpt`));
    expect(existsSync(join(work, 'final_metrics.json'))).toBe(false);

    expect(await main([config, '--work-dir', work, '--backend', 'cpu', '--resume'], sink())).toBe(0);
    const straight = join(dir, 'straight');
    expect(await main([config, '--work-dir', straight, '--backend', 'cpu'], sink())).toBe(0);

    const final = (w: string) => JSON.parse(readFileSync(join(w, 'final_metrics.json'), 'utf8')) as { iter: number; metrics: unknown };
    expect(final(work).iter).toBe(ITERS);
    expect(final(work).metrics).toEqual(final(straight).metrics);
    expect(weightsOf(join(work, 'epoch_1.ckpt'))).toEqual(weightsOf(join(straight, 'epoch_1.ckpt')));
  }, 120_000);
});
