import { mkdtempSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { ResNetSupernet, type ResNetSupernetInput } from '../../src/models/resnet_supernet.js';
import { MobileNetSupernet } from '../../src/models/mobilenet_supernet.js';
import { batchNormLayers } from '../../src/models/ops/dynamic_batchnorm2d.js';
import { exportSubnet } from '../../src/evaluation/export/export_subnet.js';
import { FixedNet } from '../../src/evaluation/export/fixed_net.js';
import { fileIOHandler } from '../../src/evaluation/export/file_io_handler.js';
import { readCheckpointTensors, selectWeights } from '../../src/algorithms/checkpoint_weights.js';
import { Rng } from '../../src/services/rng.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tinyResNet(block: 'BasicBlock' | 'Bottleneck', maxPool: boolean): ResNetSupernet {
  const cfg: ResNetSupernetInput = {
    block, in_channels: 2, input_size: 13, num_classes: 5, width_ratios: [1.0, 0.75, 0.5], expansion: 2,
    stem: { base_channels: 8, kernel_size: 3, stride: 2, max_pool: maxPool, tie_to_stage1: false },
    stages: [
      { depth_choices: [1, 2], base_channels: 8, stride: 1 },
      { depth_choices: [1, 2, 3], base_channels: 16, stride: 2 },
    ],
  };
  const net = new ResNetSupernet(cfg);
  // Non-trivial BN statistics and affine parameters, so a wrong slice would show.
  const rng = new Rng(7);
  for (const bn of batchNormLayers(net)) {
    const c = bn.runningMean!.shape[0]!;
    const r = (lo: number, hi: number) => tf.tensor1d(Array.from({ length: c }, () => lo + (hi - lo) * rng.random()));
    bn.runningMean!.assign(r(-0.5, 0.5));
    bn.runningVar!.assign(r(0.5, 2));
    bn.gamma!.assign(r(0.5, 1.5));
    bn.beta!.assign(r(-0.3, 0.3));
  }
  return net;
}

describe('exportSubnet', () => {
  for (const [block, maxPool] of [['BasicBlock', true], ['Bottleneck', false]] as const) {
    it(`writes a ${block} subnet that FixedNet and a TF.js LayersModel reproduce exactly`, async () => {
      const supernet = tinyResNet(block, maxPool);
      const choices = supernet.mutator.sample(new Rng(block.length));
      const out = mkdtempSync(join(tmpdir(), 'export-'));
      const config = { model: { type: 'SPOS', architecture: { type: 'ResNetSupernet' } }, train_dataloader: { batch_size: 4 }, search_cfg: {} };
      const res = await exportSubnet({ supernet, choices, outDir: out, config });
      for (const p of [res.configPath, res.checkpointPath, res.subnetPath, join(out, 'tfjs', 'model.json'), join(out, 'tfjs', 'weights.bin')]) {
        expect(existsSync(p)).toBe(true);
      }
      const exported = parse(readFileSync(res.configPath, 'utf8'));
      expect(exported.model.type).toBe('ImageClassifier');
      expect(exported.model.architecture.type).toBe('FixedNet');
      expect(exported.train_dataloader).toEqual({ batch_size: 4 });
      expect(exported.search_cfg).toBeUndefined();

      const x = tf.randomNormal([3, 13, 13, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
      supernet.eval();
      const want = supernet.forward(x);

      const fixed = new FixedNet(exported.model.architecture);
      const tensors = readCheckpointTensors(res.checkpointPath);
      const names = Object.keys(fixed.stateDict());
      fixed.loadStateDict(selectWeights(tensors, names)!);
      tf.dispose(Object.values(tensors));
      fixed.eval();
      // Fewer parameters than the supernet: the weights are sliced, not the whole shared tensors.
      const count = (m: { parameters(): tf.Variable[] }) => m.parameters().reduce((n, p) => n + p.size, 0);
      expect(count(fixed)).toBe(res.complexity.params);
      expect(count(fixed)).toBeLessThan(count(supernet));
      const got = fixed.forward(x);
      tf.test_util.expectArraysClose(await got.data(), await want.data(), 1e-5);

      const layers = await tf.loadLayersModel(fileIOHandler(join(out, 'tfjs')));
      const pred = layers.predict(x) as tf.Tensor;
      expect(pred.shape).toEqual([3, 5]);
      tf.test_util.expectArraysClose(await pred.data(), await want.data(), 1e-4);
      tf.dispose([x, want, got, pred]);
      layers.dispose();
      fixed.dispose();
      supernet.dispose();
    });
  }

  it('writes a MobileNet subnet (depthwise convs) that FixedNet and a TF.js LayersModel reproduce', async () => {
    const supernet = tinyMobileNet();
    const rng = new Rng(3);
    for (const choices of [supernet.mutator.sample(rng), supernet.mutator.setMax()]) {
      const out = mkdtempSync(join(tmpdir(), 'export-'));
      const res = await exportSubnet({ supernet, choices, outDir: out, config: {}, layersModelUint8: true });
      expect(res.graph.nodes.some((n) => n.op === 'conv2d' && n.groups !== undefined && n.groups > 1)).toBe(true);
      const x = tf.randomNormal([3, 10, 10, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
      supernet.eval();
      const want = supernet.forward(x);
      const fixed = new FixedNet(parse(readFileSync(res.configPath, 'utf8')).model.architecture);
      fixed.eval();
      const count = (m: { parameters(): tf.Variable[] }) => m.parameters().reduce((n, p) => n + p.size, 0);
      expect(count(fixed)).toBe(res.complexity.params);
      const got = fixed.forward(x);
      tf.test_util.expectArraysClose(await got.data(), await want.data(), 1e-5);
      const layers = await tf.loadLayersModel(fileIOHandler(join(out, 'tfjs')));
      const pred = layers.predict(x) as tf.Tensor;
      tf.test_util.expectArraysClose(await pred.data(), await want.data(), 1e-4);
      // uint8 weights: a quarter of the bytes, logits near the float model's (not equal).
      const bytes = (d: string) => statSync(join(out, d, 'weights.bin')).size;
      expect(bytes('tfjs_uint8')).toBe(bytes('tfjs') / 4);
      const q = await tf.loadLayersModel(fileIOHandler(join(out, 'tfjs_uint8')));
      const predQ = q.predict(x) as tf.Tensor;
      const err = tf.max(tf.abs(tf.sub(predQ, want))).dataSync()[0]!;
      const spread = tf.sub(tf.max(want), tf.min(want)).dataSync()[0]!;
      expect(err).toBeGreaterThan(0);
      expect(err).toBeLessThan(0.25 * spread);
      tf.dispose([x, want, got, pred, predQ]);
      layers.dispose();
      q.dispose();
      fixed.dispose();
    }
    supernet.dispose();
  });

  it('refuses a module it does not know, naming it, and leaks nothing', async () => {
    const { Module } = await import('../../src/models/module.js');
    class Odd extends Module {}
    class OddNet extends MobileNetSupernet {
      constructor() {
        super(MOBILENET_CFG);
        this.addModule('odd', new Odd());
      }
    }
    const net = new OddNet();
    const before = tf.memory().numTensors;
    const out = mkdtempSync(join(tmpdir(), 'export-'));
    await expect(exportSubnet({ supernet: net, choices: net.mutator.current(), outDir: out })).rejects.toThrow(/does not know how to write module 'odd' \(Odd\)/);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});

const MOBILENET_CFG = {
  in_channels: 1, input_size: 10, num_classes: 3, stem: { out_channels: 8, kernel_size: 3, stride: 1 },
  stages: [{ out_channels: 8, depth_choices: [1, 2], stride: 1 }, { out_channels: 12, depth_choices: [1, 2], stride: 2 }],
  expand_ratios: [2, 3], kernel_sizes: [3, 5], head_channels: 16,
};

function tinyMobileNet(): MobileNetSupernet {
  const net = new MobileNetSupernet(MOBILENET_CFG);
  const rng = new Rng(11);
  for (const bn of batchNormLayers(net)) {
    const c = bn.runningMean!.shape[0]!;
    const r = (lo: number, hi: number) => tf.tensor1d(Array.from({ length: c }, () => lo + (hi - lo) * rng.random()));
    bn.runningMean!.assign(r(-0.5, 0.5));
    bn.runningVar!.assign(r(0.5, 2));
    bn.gamma!.assign(r(0.5, 1.5));
    bn.beta!.assign(r(-0.3, 0.3));
  }
  return net;
}
