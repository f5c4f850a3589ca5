import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCheckpointPath } from '../../src/algorithms/checkpoint_weights.js';

describe('resolveCheckpointPath', () => {
  it('keeps a file path and maps a work_dir to the checkpoint its pointer names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-path-'));
    writeFileSync(join(dir, 'epoch_1.ckpt'), 'x');
    writeFileSync(join(dir, 'epoch_2.ckpt'), 'x');
    writeFileSync(join(dir, 'last_checkpoint'), 'epoch_1.ckpt\n');
    expect(resolveCheckpointPath(join(dir, 'epoch_2.ckpt'))).toBe(join(dir, 'epoch_2.ckpt'));
    expect(resolveCheckpointPath(dir)).toBe(join(dir, 'epoch_1.ckpt'));
  });

  it('refuses a directory without checkpoints, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-empty-'));
    expect(() => resolveCheckpointPath(dir)).toThrow(new RegExp(`Directory ${dir} holds no checkpoint`));
  });
});
