// tools/reorder_channels.ts on a checkpoint as training writes it: the reordered file holds the
// same network (same logits at the max subnet), sorted mid channels, no optimizer state.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { runCli } from '../../src/cli/run.js';
import { CHECKPOINT_FORMAT_VERSION, decodeCheckpoint, encodeCheckpoint } from '../../src/engine/checkpoint.js';
import { MODELS } from '../../src/registry/registries.js';
import type { Supernet } from '../../src/models/types.js';
import { main } from '../../tools/reorder_channels.js';
import { sink, writeTinyFixture } from './fixture.js';

const PREFIX = 'model/architecture.';

function netFrom(architecture: Record<string, unknown>, file: string): Supernet {
  const net = MODELS.build<Supernet>(architecture as never);
  const { tensors } = decodeCheckpoint(readFileSync(file), file);
  net.loadStateDict(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k.slice(PREFIX.length), tf.tensor(t.values, t.shape, t.dtype)])));
  net.eval();
  net.mutator.setMax();
  return net;
}

describe('tools/reorder_channels.ts', () => {
  let fx: ReturnType<typeof writeTinyFixture>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    fx = writeTinyFixture('mini');
  });

  it('writes the same network with every BasicBlock sorted by L1 importance', () => {
    const out = join(fx.dir, 'reordered.ckpt');
    const stdout = sink();
    expect(main([fx.checkpoint, out], stdout)).toBe(0);
    expect(stdout.text).toMatch(/reordered the mid channels of 4 BasicBlocks/);
    const { tensors } = decodeCheckpoint(readFileSync(out), out);
    for (const block of ['stage1.0', 'stage1.1', 'stage2.0', 'stage2.1']) {
      const w = tensors[`${PREFIX}${block}.conv2.conv.weight`]!;
      const l1 = tf.tidy(() => Array.from(tf.sum(tf.abs(tf.tensor(w.values, w.shape)), [0, 1, 3]).dataSync()));
      expect(l1).toEqual([...l1].sort((a, b) => b - a));
    }
    const images = tf.randomNormal<tf.Rank.R4>([3, 8, 8, 1], 0, 1, 'float32', 7);
    const [a, b] = [netFrom(fx.architecture, fx.checkpoint), netFrom(fx.architecture, out)];
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a.forward(images), b.forward(images)))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-5);
    a.dispose();
    b.dispose();
    images.dispose();
  });

  it('refuses an existing output and a file that is not a checkpoint, exit 2, writing nothing', async () => {
    const existing = join(fx.dir, 'keep.ckpt');
    writeFileSync(existing, 'results I want to keep\n');
    const err = sink();
    expect(await runCli((argv) => main(argv, sink()), [fx.checkpoint, existing], err)).toBe(2);
    expect(err.text).toMatch(/keep\.ckpt exists; give a new file/);
    expect(readFileSync(existing, 'utf8')).toBe('results I want to keep\n');
    const err2 = sink();
    expect(await runCli((argv) => main(argv, sink()), [existing, join(fx.dir, 'x.ckpt')], err2)).toBe(2);
    expect(err2.text).toMatch(/keep\.ckpt is corrupt or truncated/);
    const mlp = join(fx.dir, 'mlp.ckpt');
    writeFileSync(mlp, encodeCheckpoint({ meta: { epoch: 1, iter: 1, time: '', version: CHECKPOINT_FORMAT_VERSION }, tensors: { 'model/fc.weight': { dtype: 'float32', shape: [2, 2], values: new Float32Array(4) } }, state: {} }));
    const err3 = sink();
    expect(await runCli((argv) => main(argv, sink()), [mlp, join(fx.dir, 'y.ckpt')], err3)).toBe(2);
    expect(err3.text).toMatch(/mlp\.ckpt holds no BasicBlock/);
    expect(existsSync(join(fx.dir, 'y.ckpt'))).toBe(false);
    process.exitCode = undefined;
  });
});
