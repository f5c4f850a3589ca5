import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { main } from '../../tools/train.js';

/** A 2-class ImageFolder of small random RGB PNGs. */
async function makeImageFolder(root: string): Promise<void> {
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
  for (const cls of ['n01', 'n02']) {
    mkdirSync(join(root, cls), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const pixels = Buffer.from(Array.from({ length: 40 * 40 * 3 }, next));
      await sharp(pixels, { raw: { width: 40, height: 40, channels: 3 } }).png().toFile(join(root, cls, `img${i}.png`));
    }
  }
}

describe('configs/track1/resnet48_bignas.yaml', () => {
  it('builds the exact Track-1 recipe and runs two real BigNAS steps on a tiny image folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'track1-'));
    const root = join(dir, 'train');
    await makeImageFolder(root);
    const work = join(dir, 'work');
    const out = { text: '', write(t: string) { this.text += t; } };
    const small = [
      'train_cfg.by_epoch=false', 'train_cfg.max_iters=2', 'train_cfg.val_interval=0',
      'model.architecture.input_size=32',
      `train_dataloader.dataset.data_root=${root}`, 'train_dataloader.dataset.split.val_fraction=0.25',
      'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
      'train_dataloader.dataset.pipeline.0.size=32',
      `val_dataloader.dataset.data_root=${root}`, 'val_dataloader.dataset.split.val_fraction=0.25',
      'val_dataloader.batch_size=2', 'val_dataloader.num_workers=0',
      'val_dataloader.dataset.pipeline.0.size=36', 'val_dataloader.dataset.pipeline.1.size=32',
      'val_cfg.calibrate_sample_num=2', 'default_hooks.checkpoint=null',
    ];
    const code = await main(['configs/track1/resnet48_bignas.yaml', '--work-dir', work, '--backend', 'wasm', '--cfg-options', ...small], out);
    expect(code).toBe(0);
    const final = JSON.parse(readFileSync(join(work, 'final_metrics.json'), 'utf8'));
    expect(final.iter).toBe(2);
    expect(Object.keys(final.metrics).sort()).toEqual(['max/top1', 'max/top5', 'min/top1', 'min/top5']);
    const train = readFileSync(join(work, 'scalars.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.mode === 'train');
    expect(Number.isFinite(train.at(-1).loss)).toBe(true);
    expect(out.text).toMatch(/max subnet: top1 .*M MACs/);
  }, 300_000);
});
