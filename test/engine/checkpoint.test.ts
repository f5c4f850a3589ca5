import { mkdtempSync, readFileSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointCorruptError, CheckpointStore, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../src/engine/checkpoint.js';

function sample(iter: number): Checkpoint {
  return {
    meta: { epoch: 0, iter, time: '2026-01-01T00:00:00Z', version: 1 },
    tensors: {
      'model/w': { dtype: 'float32', shape: [2, 2], values: new Float32Array([1.5, -2, 3e-8, Math.PI]) },
      'model/n': { dtype: 'int32', shape: [1], values: new Int32Array([iter]) },
    },
    state: { rng: { c: 1, s0: 0.1, s1: 0.2, s2: 0.3 }, loader: { epoch: 0, batchIndex: iter } },
  };
}

describe('checkpoint format', () => {
  it('round-trips tensors bit for bit and JSON state exactly', () => {
    const back = decodeCheckpoint(encodeCheckpoint(sample(3)));
    expect(back).toEqual(sample(3));
    expect(Array.from(back.tensors['model/w']!.values)).toEqual(Array.from(new Float32Array([1.5, -2, 3e-8, Math.PI])));
  });

  it('detects a flipped byte and a truncation', () => {
    const bytes = encodeCheckpoint(sample(1));
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 40]! ^= 1;
    expect(() => decodeCheckpoint(flipped, 'x.ckpt')).toThrow(CheckpointCorruptError);
    expect(() => decodeCheckpoint(bytes.subarray(0, 30), 'x.ckpt')).toThrow(/corrupt or truncated/);
  });
});

describe('CheckpointStore', () => {
  it('keeps max_keep files, points to the latest, and falls back past a damaged latest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const store = new CheckpointStore(dir);
    for (const i of [2, 4, 6, 8]) await store.save(`iter_${i}`, sample(i), { maxKeep: 3 });
    expect(store.list().map((p) => p.slice(dir.length + 1))).toEqual(['iter_4.ckpt', 'iter_6.ckpt', 'iter_8.ckpt']);
    expect(readFileSync(join(dir, 'last_checkpoint'), 'utf8').trim()).toBe('iter_8.ckpt');
    truncateSync(join(dir, 'iter_8.ckpt'), 100);
    const skipped: string[] = [];
    const loaded = await store.loadLatest((p) => skipped.push(p));
    expect(skipped).toEqual([join(dir, 'iter_8.ckpt')]);
    expect(loaded!.checkpoint.meta.iter).toBe(6);
    await expect(store.load('iter_8.ckpt')).rejects.toThrow(/iter_8.ckpt is corrupt or truncated/);
  });

  it('reports when every checkpoint is damaged and returns null when there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const store = new CheckpointStore(dir);
    expect(await store.loadLatest()).toBeNull();
    await store.save('iter_1', sample(1));
    writeFileSync(join(dir, 'iter_1.ckpt'), 'garbage');
    await expect(store.loadLatest()).rejects.toThrow(/No intact checkpoint/);
  });
});
