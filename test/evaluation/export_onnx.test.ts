import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { extractSubnetGraph } from '../../src/evaluation/export/subnet_graph.js';
import { mergeBatchNorm, runDeployGraph } from '../../src/evaluation/export/deploy_graph.js';
import { buildOnnxModel } from '../../src/evaluation/export/onnx/onnx_model.js';
import { onnxType } from '../../src/evaluation/export/onnx/onnx_proto.js';
import { calibrateActivations } from '../../src/evaluation/export/onnx/quantize.js';
import { loadOnnxRuntime, onnxLogits } from '../../src/evaluation/export/onnx/runtime.js';
import { Rng } from '../../src/services/rng.js';
import { randomizeBatchNorm, tinyFamilies } from './export_fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ort = await loadOnnxRuntime();
if (!ort.ok) console.warn(`export_onnx.test.ts: onnxruntime checks skipped: ${ort.reason}`);

describe('ONNX export (BN merged)', () => {
  for (const fam of tinyFamilies()) {
    const rng = new Rng(fam.name.length);
    randomizeBatchNorm(fam.net, fam.name.length);
    fam.net.eval();
    const subnets = [fam.net.mutator.setMax(), fam.net.mutator.setMin(), fam.net.mutator.sample(rng), fam.net.mutator.sample(rng)];

    it(`${fam.name}: the merged graph computes the supernet's logits and has no batch norm`, () => {
      for (const choices of subnets) {
        fam.net.mutator.set(choices);
        const { graph, weights } = extractSubnetGraph(fam.net);
        const deploy = mergeBatchNorm(graph, weights);
        tf.dispose(Object.values(weights));
        expect(deploy.nodes.some((n) => (n.op as string) === 'batch_norm')).toBe(false);
        const x = tf.randomNormal([2, ...fam.input], 0, 1, 'float32', 5) as tf.Tensor4D;
        const want = fam.net.forward(x);
        const got = runDeployGraph(deploy, x);
        tf.test_util.expectArraysClose(got.dataSync(), want.dataSync(), 1e-4);
        tf.dispose([x, want, got]);
      }
    });

    it(`${fam.name}: the protobuf decodes back to the graph`, () => {
      fam.net.mutator.set(subnets[2]!);
      const { graph, weights } = extractSubnetGraph(fam.net);
      const deploy = mergeBatchNorm(graph, weights);
      tf.dispose(Object.values(weights));
      const bytes = buildOnnxModel(deploy);
      const model = onnxType('ModelProto').toObject(onnxType('ModelProto').decode(bytes), { longs: Number }) as {
        opset_import: { version: number }[]; graph: { node: { op_type: string }[]; initializer: { name: string; dims: number[] }[] };
      };
      expect(model.opset_import[0]!.version).toBe(13);
      const ops = model.graph.node.map((n) => n.op_type);
      expect(ops.filter((o) => o === 'Conv').length).toBe(deploy.nodes.filter((n) => n.op === 'conv').length);
      expect(ops).not.toContain('BatchNormalization');
      const first = deploy.nodes.find((n) => n.op === 'conv')!;
      expect(model.graph.initializer.find((t) => t.name === `${first.name}.weight`)!.dims).toEqual(deploy.weights[`${first.name}.weight`]!.shape);
    });

    it.skipIf(!ort.ok)(`${fam.name}: onnxruntime-node gives tfrazor's logits within 1e-4, fp32; int8 within 20% of the logit range`, async () => {
      if (!ort.ok) return;
      for (const choices of subnets) {
        fam.net.mutator.set(choices);
        const { graph, weights } = extractSubnetGraph(fam.net);
        const deploy = mergeBatchNorm(graph, weights);
        tf.dispose(Object.values(weights));
        const x = tf.randomNormal([4, ...fam.input], 0, 1, 'float32', 9) as tf.Tensor4D;
        const want = fam.net.forward(x);
        const session = await ort.ort.InferenceSession.create(buildOnnxModel(deploy));
        const got = await onnxLogits(ort.ort, session, x);
        expect(got.shape).toEqual(want.shape);
        tf.test_util.expectArraysClose(got.dataSync(), want.dataSync(), 1e-4);

        const calib = [tf.randomNormal([16, ...fam.input], 0, 1, 'float32', 11) as tf.Tensor4D];
        const quant = calibrateActivations(deploy, calib);
        const q = await ort.ort.InferenceSession.create(buildOnnxModel(deploy, { quant }));
        const gotQ = await onnxLogits(ort.ort, q, x);
        // int8 error is bounded by the quantization steps, not 1e-4; far from fp32 would mean a wrong scale.
        const err = tf.tidy(() => tf.max(tf.abs(tf.sub(gotQ, want))).dataSync()[0]!);
        const spread = tf.tidy(() => tf.sub(tf.max(want), tf.min(want)).dataSync()[0]!);
        expect(err).toBeLessThan(0.2 * spread);
        tf.dispose([x, want, got, gotQ, ...calib]);
      }
    });
  }
});
