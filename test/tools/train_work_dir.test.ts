// A training run that fails before its first step (here: a dataset folder that does not exist)
// leaves no new work dir behind, and never deletes one that was there before.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { main } from '../../tools/train.js';

const CONFIG = (root: string) => `
model:
  type: ImageClassifier
  architecture:
    type: ResNetSupernet
    in_channels: 3
    input_size: 8
    num_classes: 2
    width_ratios: [1.0]
    stem: {base_channels: 4, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true}
    stages: [{depth_choices: [1], base_channels: 4, stride: 1}]
train_dataloader:
  batch_size: 2
  dataset: {type: ImageFolder, data_root: ${root}, pipeline: [{type: Resize, size: 8}, {type: ToTensor}]}
optim_wrapper: {optimizer: {type: SGD, lr: 0.1}}
train_cfg: {by_epoch: false, max_iters: 1}
`;

const sink = () => ({ text: '', write(t: string) { this.text += t; } });

describe('tools/train.ts work dir on a failed start', () => {
  it('removes the work dir it created when the dataset cannot be read, and keeps an existing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-wd-'));
    const config = join(dir, 'missing_data.yaml');
    writeFileSync(config, CONFIG(join(dir, 'no_such_folder')));
    const fresh = join(dir, 'fresh');
    const err = sink();
    expect(await runCli((a) => main(a, sink()), [config, '--work-dir', fresh, '--backend', 'cpu'], err)).toBe(2);
    expect(err.text).toContain('no_such_folder');
    expect(existsSync(fresh)).toBe(false);

    const existing = join(dir, 'existing');
    mkdirSync(existing);
    writeFileSync(join(existing, 'notes.txt'), 'keep');
    expect(await runCli((a) => main(a, sink()), [config, '--work-dir', existing, '--backend', 'cpu'], sink())).toBe(2);
    expect(readdirSync(existing)).toContain('notes.txt');
  });
});
