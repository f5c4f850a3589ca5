import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { exportSubnet } from '../../src/evaluation/export/export_subnet.js';
import { Rng } from '../../src/services/rng.js';
import { randomizeBatchNorm, tinyFamilies } from './export_fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'torch_roundtrip.py');
const probe = existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }) : undefined;
const torchReason = !probe ? `${PYTHON} does not exist` : probe.status !== 0 ? `import torch failed in ${PYTHON}: ${(probe.stderr || '').trim().split('\n').at(-1)}` : undefined;
if (torchReason) console.warn(`torch_roundtrip.test.ts: PyTorch round trip skipped (${torchReason}; apt-get install python3-torch).`);

describe('safetensors export loads into PyTorch', () => {
  it.skipIf(torchReason !== undefined)('PyTorch modules built from the graph load subnet.safetensors strictly and give tfrazor\'s logits; subnet tensors are slices of supernet.safetensors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'torch-rt-'));
    const cases = [];
    for (const fam of tinyFamilies()) {
      randomizeBatchNorm(fam.net, 3);
      const choices = fam.net.mutator.sample(new Rng(fam.name.length + 1));
      const out = join(dir, fam.name.replace(/\W+/g, '_'));
      const res = await exportSubnet({ supernet: fam.net, choices, outDir: out, skipLayersModel: true, supernetSafetensors: true });
      fam.net.eval();
      const x = tf.randomNormal([2, ...fam.input], 0, 1, 'float32', 2) as tf.Tensor4D;
      const logits = fam.net.forward(x);
      const nchw = tf.transpose(x, [0, 3, 1, 2]);
      cases.push({
        name: fam.name, subnet: res.safetensorsPath, supernet: res.supernetSafetensorsPath, nodes: res.graph.nodes,
        input: Array.from(nchw.dataSync()), input_shape: nchw.shape, logits: Array.from(logits.dataSync()),
      });
      tf.dispose([x, logits, nchw]);
    }
    const file = join(dir, 'cases.json');
    writeFileSync(file, JSON.stringify(cases));
    const run = spawnSync(PYTHON, [SCRIPT, file], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stdout + run.stderr).toMatch(/max \|logit diff\|/);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(summary.cases).toBe(3);
    expect(summary.max_abs_diff).toBeLessThan(1e-4);
  }, 180_000);
});
