import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { main as exportMain } from '../../tools/export_subnet.js';
import { onnxType } from '../../src/evaluation/export/onnx/onnx_proto.js';
import { decodeSafetensors } from '../../src/evaluation/export/safetensors.js';
import { sink, writeTinyFixture } from './fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tools/export_subnet.ts --format onnx --int8', () => {
  it('writes subnet.onnx, subnet_int8.onnx with int8 weights and subnet.safetensors, and no TF.js model', async () => {
    const fx = writeTinyFixture();
    const outDir = join(fx.dir, 'onnx');
    const out = sink();
    expect(await exportMain([fx.config, fx.checkpoint, '--min', '--format', 'onnx', '--int8', '--supernet-safetensors', '--out', outDir, '--backend', 'cpu'], out)).toBe(0);
    for (const f of ['subnet.onnx', 'subnet_int8.onnx', 'subnet.safetensors', 'supernet.safetensors', 'config.yaml']) expect(existsSync(join(outDir, f))).toBe(true);
    expect(existsSync(join(outDir, 'tfjs'))).toBe(false);
    expect(out.text).toMatch(/ONNX int8: .*subnet_int8\.onnx \(\d+\.\d KiB, calibrated on \d+ train images\)/);

    const model = (p: string) => onnxType('ModelProto').toObject(onnxType('ModelProto').decode(readFileSync(join(outDir, p))), { longs: Number }) as {
      graph: { node: { op_type: string }[]; initializer: { name: string; data_type: number }[] };
    };
    const q = model('subnet_int8.onnx');
    const conv = q.graph.node.filter((n) => n.op_type === 'Conv').length;
    expect(conv).toBeGreaterThan(0);
    // Every conv weight is stored as int8 (data_type 3) behind a DequantizeLinear.
    expect(q.graph.initializer.filter((t) => t.name.endsWith('.weight_quantized') && t.data_type === 3).length).toBe(conv + 1);
    expect(q.graph.node.some((n) => n.op_type === 'QuantizeLinear')).toBe(true);
    expect(model('subnet.onnx').graph.node.some((n) => n.op_type.includes('Quantize'))).toBe(false);

    const sub = decodeSafetensors(readFileSync(join(outDir, 'subnet.safetensors'))).tensors;
    const sup = decodeSafetensors(readFileSync(join(outDir, 'supernet.safetensors'))).tensors;
    expect(Object.keys(sub).every((k) => k in sup)).toBe(true);
    expect(sub['stem.conv.weight']!.shape.length).toBe(4);
  });

  it('refuses an unknown --format', async () => {
    const fx = writeTinyFixture();
    await expect(exportMain([fx.config, fx.checkpoint, '--min', '--format', 'tflite', '--out', join(fx.dir, 'x'), '--backend', 'cpu'], sink())).rejects.toThrow(/--format is 'tflite'; expected one of tfjs, onnx, all/);
  });
});
