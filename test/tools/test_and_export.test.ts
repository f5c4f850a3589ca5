import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { main as testMain } from '../../tools/test.js';
import { main as exportMain } from '../../tools/export_subnet.js';
import { main as trainMain } from '../../tools/train.js';
import { lastJson, sink, writeTinyFixture } from './fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tools/test.ts and tools/export_subnet.ts', () => {
  it('evaluates a subnet, exports it, and the export gives the same accuracy without the supernet', async () => {
    const fx = writeTinyFixture();
    const subnet = join(fx.dir, 'subnet.yaml');
    writeFileSync(subnet, [
      'stage1.out_channels: {chosen: 0.5}', 'stage1.block1.mid_channels: {chosen: 1.0}', 'stage1.block2.mid_channels: {chosen: 0.5}',
      'stage1.depth: {chosen: 2}', 'stage2.out_channels: {chosen: 1.0}', 'stage2.block1.mid_channels: {chosen: 0.5}',
      'stage2.block2.mid_channels: {chosen: 1.0}', 'stage2.depth: {chosen: 1}', '',
    ].join('\n'));
    const backend = ['--backend', 'cpu'];
    const out1 = sink();
    expect(await testMain([fx.config, fx.checkpoint, '--subnet', subnet, ...backend], out1)).toBe(0);
    const viaSupernet = lastJson(out1.text);
    expect(viaSupernet.num_samples).toBe(24);
    expect(viaSupernet.calibrated_samples).toBe(16);
    expect(out1.text).toMatch(/top1 \d+\.\d\d%/);

    const outDir = join(fx.dir, 'export');
    const out2 = sink();
    expect(await exportMain([fx.config, fx.checkpoint, '--subnet', subnet, '--out', outDir, ...backend], out2)).toBe(0);
    for (const f of ['config.yaml', 'subnet.ckpt', 'subnet.yaml', 'tfjs/model.json', 'tfjs/weights.bin']) expect(existsSync(join(outDir, f))).toBe(true);

    const out3 = sink();
    expect(await testMain([join(outDir, 'config.yaml'), join(outDir, 'subnet.ckpt'), ...backend], out3)).toBe(0);
    const viaExport = lastJson(out3.text);
    expect(viaExport.metrics).toEqual(viaSupernet.metrics);
    expect(viaExport.num_samples).toBe(24);

    // Without re-calibration the export carries the statistics calibrated before slicing.
    const out4 = sink();
    expect(await testMain([join(outDir, 'config.yaml'), join(outDir, 'subnet.ckpt'), '--calib-samples', '0', ...backend], out4)).toBe(0);
    expect(lastJson(out4.text).metrics).toEqual(viaSupernet.metrics);

    // tools/train.ts fine-tunes the export: FixedNet starts from subnet.ckpt (init_checkpoint).
    const out5 = sink();
    const finetune = [
      join(outDir, 'config.yaml'), '--work-dir', join(fx.dir, 'finetune'), ...backend, '--cfg-options',
      'optim_wrapper={optimizer: {type: SGD, lr: 1.0e-9}}', 'train_cfg={by_epoch: false, max_iters: 1, val_interval: 0}',
    ];
    expect(await trainMain(finetune, out5)).toBe(0);
    expect(out5.text).toMatch(/top1/);
  });

  it('refuses two subnet selections', async () => {
    const fx = writeTinyFixture();
    await expect(testMain([fx.config, fx.checkpoint, '--max', '--min', '--backend', 'cpu'], sink())).rejects.toThrow(/at most one of/);
  });
});
