import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { main as latencyMain } from '../../tools/analysis/latency_table.js';
import { LatencyPredictor } from '../../src/evaluation/latency/latency_table.js';
import { loadOnnxRuntime } from '../../src/evaluation/export/onnx/runtime.js';
import { sink, writeTinyFixture } from './fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ort = await loadOnnxRuntime();
if (!ort.ok) console.warn(`latency_table_tool.test.ts: skipped: ${ort.reason}`);

describe.skipIf(!ort.ok)('tools/analysis/latency_table.ts', () => {
  it('writes a table that predicts every held-out subnet, with the affine fit and the error report', async () => {
    const fx = writeTinyFixture();
    const out = join(fx.dir, 'lat.json');
    const text = sink();
    const args = [fx.config, '--out', out, '--samples', '4', '--calibrate', '3', '--validate', '3', '--runs', '3', '--warmup', '1', '--rounds', '1'];
    expect(await latencyMain(args, text)).toBe(0);
    expect(text.text).toMatch(/on 3 held-out random subnets: \|error\| median \d+\.\d %, p90 \d+\.\d %/);
    const t = JSON.parse(readFileSync(out, 'utf8'));
    expect(t.validation.rows).toHaveLength(3);
    expect(t.calibration.subnets).toBe(3);
    for (const r of t.validation.rows) expect(r.measured_ms).toBeGreaterThan(0);
    const p = LatencyPredictor.fromFile(out);
    expect(p.table.runtime).toMatch(/onnxruntime-node cpu, \d+ thread/);
  });
});
