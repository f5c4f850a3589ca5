// src/tf.ts: one TensorFlow.js for every module, without tfjs's "install the node backend"
// banner (tfrazor logs its own engine choice).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('src/tf.ts', () => {
  it('computes on the cpu backend without printing the node-backend banner', () => {
    const script = "const { tf } = await import('./src/tf.ts'); const v = tf.tensor([1, 2]).square().dataSync().join(','); console.log(tf.getBackend(), v);";
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('cpu 1,4');
    expect(run.stderr).not.toContain('looks like you are running TensorFlow.js in Node.js');
  });
});
