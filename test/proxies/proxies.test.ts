import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor1D } from '../../src/tf.js';
import '../../src/register_all.js';
import { MODELS, PROXIES } from '../../src/registry/registries.js';
import type { Supernet } from '../../src/models/types.js';
import { Rng } from '../../src/services/rng.js';
import { extractProxyGraph, flatOps, type ProxyGraph } from '../../src/proxies/graph.js';
import { initProxyParams, type ProxyParams } from '../../src/proxies/params.js';
import {
  buildProxy, fisherOf, gradNormOf, logAbsDet, logSynflowOf, naswotKernel, proxyScorer, ProxyError, snipOf, zenScoreOf,
  type ProxyBatch,
} from '../../src/proxies/index.js';
import { numericGrad, refForward, refLoss, refWeights, type Arr, type RefWeights } from './reference_net.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TINY_RESNET = {
  type: 'ResNetSupernet', block: 'BasicBlock', in_channels: 1, input_size: 4, num_classes: 3, width_ratios: [1.0, 0.5], divisor: 1,
  stem: { base_channels: 2, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true },
  stages: [{ depth_choices: [1, 2], base_channels: 2, stride: 2 }],
};
const RESNET_SUBNET = { 'stage1.depth': 2, 'stage1.out_channels': 1.0, 'stage1.block1.mid_channels': 0.5, 'stage1.block2.mid_channels': 1.0 };

const TINY_MOBILENET = {
  type: 'MobileNetSupernet', in_channels: 1, input_size: 4, num_classes: 3, divisor: 1, head_channels: 0,
  stem: { out_channels: 2, kernel_size: 3, stride: 1 }, expand_ratios: [1, 2], kernel_sizes: [1, 3],
  stages: [{ out_channels: 2, depth_choices: [1, 2], stride: 1 }],
};
const MOBILENET_SUBNET = {
  'stage1.depth': 2, 'stage1.block1.expand_ratio': 2, 'stage1.block1.kernel_size': 3,
  'stage1.block2.expand_ratio': 1, 'stage1.block2.kernel_size': 1,
};

function tinyNet(cfg: Record<string, unknown>, choices: Record<string, number>): { net: Supernet; graph: ProxyGraph } {
  const net = MODELS.build<Supernet>(cfg as never);
  net.mutator.set(choices);
  return { net, graph: extractProxyGraph(net) };
}

/** Seeded Kaiming weights with BN gamma and beta moved off 1 and 0, so BN's affine part is exercised. */
function tinyParams(graph: ProxyGraph): ProxyParams {
  const params = initProxyParams(graph, 'kaiming', 3);
  for (const [k, t] of [...params]) {
    const n = t.shape[0]!;
    if (k.endsWith('.gamma')) params.set(k, tf.tensor1d(Array.from({ length: n }, (_, i) => 0.6 + 0.3 * i)));
    if (k.endsWith('.beta')) params.set(k, tf.tensor1d(Array.from({ length: n }, (_, i) => 0.1 - 0.2 * i)));
    if (k.endsWith('.gamma') || k.endsWith('.beta')) t.dispose();
  }
  return params;
}

function tinyBatch(seed = 7): { batch: ProxyBatch; x: Arr; labels: number[] } {
  const rng = new Rng(seed);
  const values = Array.from({ length: 4 * 4 * 4 }, () => rng.normal());
  const labels = [0, 1, 2, 1];
  return {
    batch: { images: tf.tensor4d(values, [4, 4, 4, 1]), labels: tf.tensor1d(labels, 'int32') as Tensor1D },
    x: { shape: [4, 4, 4, 1], data: Float64Array.from(values) },
    labels,
  };
}

const lossOf = (graph: ProxyGraph, x: Arr, labels: number[]) => (w: RefWeights) =>
  refLoss(refForward(graph, w, x, { bn: 'batch', residual: true }), labels);
const weightKeys = (graph: ProxyGraph) => flatOps(graph.ops).filter((o) => o.op !== 'bn').map((o) => `${o.name}.weight`);
const relClose = (actual: number, expected: number, tol = 1e-3) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));

describe('extractProxyGraph', () => {
  it('reads the active ResNet subnet: current widths, depth, projection shortcut only where the stride changes', () => {
    const { net, graph } = tinyNet(TINY_RESNET, RESNET_SUBNET);
    expect(graph.ops.map((o) => o.op)).toEqual(['conv', 'bn', 'act', 'residual', 'residual', 'gap', 'linear']);
    const [b1, b2] = graph.ops.filter((o) => o.op === 'residual') as Extract<ProxyGraph['ops'][number], { op: 'residual' }>[];
    expect(b1!.branch.filter((o) => o.op === 'conv').map((o) => (o.op === 'conv' ? [o.cin, o.cout, o.stride] : []))).toEqual([[2, 1, 2], [1, 2, 1]]);
    expect(b1!.shortcut?.map((o) => o.op)).toEqual(['conv', 'bn']);
    expect(b2!.shortcut).toBeNull();
    net.mutator.set({ ...RESNET_SUBNET, 'stage1.depth': 1 });
    expect(extractProxyGraph(net).ops.filter((o) => o.op === 'residual')).toHaveLength(1);
    net.dispose();
  });

  it('reads MobileNet inverted residuals: depthwise conv, ReLU6, identity only at stride 1 with equal widths', () => {
    const { net, graph } = tinyNet(TINY_MOBILENET, MOBILENET_SUBNET);
    const res = graph.ops.filter((o) => o.op === 'residual');
    expect(res).toHaveLength(2);
    const dw = flatOps(graph.ops).find((o) => o.op === 'conv' && o.depthwise);
    expect(dw).toMatchObject({ cin: 4, cout: 4, kernel: 3 });
    expect(JSON.stringify(graph.ops)).toContain('relu6');
    net.dispose();
  });

  it("init 'supernet' slices the shared weights of the active subnet", () => {
    const { net, graph } = tinyNet(TINY_RESNET, RESNET_SUBNET);
    const params = initProxyParams(graph, 'supernet', 0);
    const conv = flatOps(graph.ops).find((o) => o.op === 'conv' && o.cout === 1)!;
    expect(params.get(`${conv.name}.weight`)!.shape).toEqual([3, 3, 2, 1]);
    const shared = (conv as { module: { weight: tf.Variable } }).module.weight;
    expect(Array.from(params.get(`${conv.name}.weight`)!.dataSync())).toEqual(Array.from(tf.slice(shared, [0, 0, 0, 0], [3, 3, 2, 1]).dataSync()));
    net.dispose();
  });
});

describe('proxies against a float64 reference with finite-difference gradients', () => {
  for (const [family, cfg, choices] of [['ResNet', TINY_RESNET, RESNET_SUBNET], ['MobileNet', TINY_MOBILENET, MOBILENET_SUBNET]] as const) {
    it(`SNIP and grad-norm (${family})`, () => {
      const { net, graph } = tinyNet(cfg, choices);
      const params = tinyParams(graph);
      const { batch, x, labels } = tinyBatch();
      const w = refWeights(params);
      let snip = 0;
      let gradNorm = 0;
      for (const k of weightKeys(graph)) {
        const g = numericGrad(w, k, lossOf(graph, x, labels));
        snip += g.reduce((s, gi, i) => s + Math.abs(gi * w.get(k)!.data[i]!), 0);
        gradNorm += Math.sqrt(g.reduce((s, gi) => s + gi * gi, 0));
      }
      relClose(snipOf(graph, params, batch), snip);
      relClose(gradNormOf(graph, params, batch), gradNorm);
      net.dispose();
    });

    it(`NASWOT kernel counts agreeing ReLU units (${family})`, () => {
      const { net, graph } = tinyNet(cfg, choices);
      const params = tinyParams(graph);
      const { batch, x } = tinyBatch();
      const k = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
      refForward(graph, refWeights(params), x, {
        bn: 'batch', residual: true,
        onAct: (a) => {
          const d = a.data.length / 4;
          for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
            for (let u = 0; u < d; u++) if ((a.data[i * d + u]! > 0) === (a.data[j * d + u]! > 0)) k[i]![j]! += 1;
          }
        },
      });
      expect(naswotKernel(graph, params, batch.images)).toEqual(k);
      net.dispose();
    });
  }

  it('Fisher: 0.5 mean_n (sum_hw a dL/da)^2 per channel, times the fan-in zero-cost-nas spreads it over', () => {
    const { net, graph } = tinyNet(TINY_RESNET, RESNET_SUBNET);
    const params = tinyParams(graph);
    const { batch, x, labels } = tinyBatch();
    const w = refWeights(params);
    const outputs = new Map<string, Arr>();
    refForward(graph, w, x, { bn: 'batch', residual: true, onLayer: (name, y) => outputs.set(name, y) });
    let expected = 0;
    for (const o of flatOps(graph.ops)) {
      if (o.op === 'bn') continue;
      const a = outputs.get(o.name)!;
      const h = 1e-5;
      const grad = a.data.map((_, index) => {
        const at = (delta: number) => refLoss(refForward(graph, w, x, { bn: 'batch', residual: true, perturb: { name: o.name, index, delta } }), labels);
        return (at(h) - at(-h)) / (2 * h);
      });
      const c = a.shape[a.shape.length - 1]!;
      const perImage = a.data.length / 4;
      const g = Array.from({ length: 4 }, () => new Array<number>(c).fill(0));
      a.data.forEach((v, i) => (g[Math.floor(i / perImage)]![i % c]! += v * grad[i]!));
      const fanIn = o.op === 'conv' ? o.cin * o.kernel * o.kernel : o.cin;
      for (let ch = 0; ch < c; ch++) expected += 0.5 * (g.reduce((s, row) => s + row[ch]! ** 2, 0) / 4) * fanIn;
    }
    relClose(fisherOf(graph, params, batch), expected, 2e-3);
    net.dispose();
  });

  it('Synflow: sum |w dR/dw| of the all-positive network without BN on an all-ones input', () => {
    const { net, graph } = tinyNet(TINY_RESNET, RESNET_SUBNET);
    const params = tinyParams(graph);
    const w = refWeights(params);
    for (const v of w.values()) v.data = v.data.map(Math.abs);
    const ones: Arr = { shape: [1, 4, 4, 1], data: new Float64Array(16).fill(1) };
    const r = (ws: RefWeights) => refForward(graph, ws, ones, { bn: 'identity', residual: true }).data.reduce((s, v) => s + v, 0);
    let expected = 0;
    for (const k of weightKeys(graph)) expected += numericGrad(w, k, r).reduce((s, gi, i) => s + Math.abs(gi * w.get(k)!.data[i]!), 0);
    relClose(Math.exp(logSynflowOf(graph, params)), expected, 1e-4);
    net.dispose();
  });

  it('Synflow stays exact where float32 overflows: 20 1x1 convs and a linear layer of weight 1000 give ln(21 * 1e63)', () => {
    const conv = (i: number) => ({ op: 'conv' as const, name: `c${i}`, cin: 1, cout: 1, kernel: 1, stride: 1, depthwise: false, module: undefined as never });
    const graph: ProxyGraph = {
      inputShape: [1, 1, 1], numClasses: 1,
      ops: [...Array.from({ length: 20 }, (_, i) => conv(i)), { op: 'gap' }, { op: 'linear', name: 'fc', cin: 1, cout: 1, bias: false, module: undefined as never }],
    };
    const params: ProxyParams = new Map([
      ...Array.from({ length: 20 }, (_, i) => [`c${i}.weight`, tf.fill([1, 1, 1, 1], -1000)] as const),
      ['fc.weight', tf.fill([1, 1], 1000)],
    ]);
    // R = 1000^21; every layer's w dR/dw equals R, so the sum is 21 R (about 2e64, beyond float32).
    expect(logSynflowOf(graph, params)).toBeCloseTo(Math.log(21) + 63 * Math.log(10), 4);
  });

  it('Zen-score: log of the perturbation response without residuals plus the BN variance term', () => {
    const { net, graph } = tinyNet(TINY_RESNET, RESNET_SUBNET);
    const params = tinyParams(graph);
    const { batch, x } = tinyBatch(1);
    const { batch: noiseBatch, x: noise } = tinyBatch(2);
    const w = refWeights(params);
    const gamma = 0.01;
    const mixed: Arr = { shape: x.shape, data: x.data.map((v, i) => v + gamma * noise.data[i]!) };
    const variances: number[][][] = [[], []];
    const feats = [x, mixed].map((input, k) =>
      refForward(graph, w, input, {
        bn: 'batch', residual: false, until: 'features',
        onBn: (v, count) => variances[k]!.push(v.map((vi) => [vi, (vi * count) / (count - 1)]).flat()),
      }));
    const perImage = feats[0]!.data.length / 4;
    const delta = feats[0]!.data.reduce((s, v, i) => s + Math.abs(v - feats[1]!.data[i]!), 0) / 4;
    expect(perImage).toBe(2 * 2 * 2);
    const meanOf = (pairs: number[], which: 0 | 1) => {
      const vals = pairs.filter((_, i) => i % 2 === which);
      return vals.reduce((s, v) => s + v, 0) / vals.length;
    };
    const running = variances[0]!.reduce((s, layer, i) => s + 0.5 * Math.log(0.81 + 0.09 * meanOf(layer, 1) + 0.1 * meanOf(variances[1]![i]!, 1)), 0);
    const batchTerm = variances[0]!.reduce((s, layer) => s + 0.5 * Math.log(meanOf(layer, 0)), 0);
    expect(variances[0]).toHaveLength(5);
    expect(zenScoreOf(graph, params, batch.images, noiseBatch.images, gamma, 'running')).toBeCloseTo(Math.log(delta) + running, 3);
    expect(zenScoreOf(graph, params, batch.images, noiseBatch.images, gamma, 'batch')).toBeCloseTo(Math.log(delta) + batchTerm, 3);
    net.dispose();
  });

  it('logAbsDet is log |det| with pivoting: log 5, log 6, and -Infinity for a singular matrix', () => {
    expect(logAbsDet([[2, 1], [1, 3]])).toBeCloseTo(Math.log(5), 12);
    expect(logAbsDet([[0, 2], [3, 0]])).toBeCloseTo(Math.log(6), 12);
    expect(logAbsDet([[1, 2], [2, 4]])).toBe(-Infinity);
  });
});

describe('the PROXIES registry', () => {
  const all = ['Fisher', 'GradNorm', 'MACs', 'NASWOT', 'Params', 'SNIP', 'Synflow', 'ZenScore'];

  it('registers every proxy; each scores any subnet deterministically for its seed, restores the subnet and leaks no tensor', () => {
    // PredictorScore (src/predictors) registers with them: a fitted predictor is a scorer too.
    expect(PROXIES.names()).toEqual([...all.slice(0, 5), 'PredictorScore', ...all.slice(5)]);
    const net = MODELS.build<Supernet>(TINY_RESNET as never);
    const { batch } = tinyBatch();
    const before = net.mutator.current();
    for (const type of all) {
      const proxy = buildProxy({ type, ...(type === 'MACs' || type === 'Params' ? {} : { batch_size: 4 }) });
      const tensors = tf.memory().numTensors;
      const a = proxy.score({ supernet: net, choices: RESNET_SUBNET, batch });
      const b = proxy.score({ supernet: net, choices: RESNET_SUBNET, batch });
      expect(tf.memory().numTensors).toBe(tensors);
      expect(Number.isFinite(a.score)).toBe(true);
      expect(a.score).toBe(b.score);
      expect(a.seconds).toBeGreaterThanOrEqual(0);
      expect(net.mutator.current()).toEqual(before);
    }
    net.dispose();
  });

  it('another seed draws other weights; MACs and Params are the analytic counts; data proxies refuse to run without a batch', () => {
    const net = MODELS.build<Supernet>(TINY_RESNET as never);
    const { batch } = tinyBatch();
    const zen = (seed: number) => buildProxy({ type: 'ZenScore', batch_size: 4, seed }).score({ supernet: net, choices: RESNET_SUBNET }).score;
    expect(zen(1)).not.toBe(zen(2));
    const macs = proxyScorer(buildProxy({ type: 'MACs' }), { supernet: net });
    expect(macs(RESNET_SUBNET)).toBe(net.complexity(RESNET_SUBNET).macs);
    expect(buildProxy({ type: 'Params' }).score({ supernet: net, choices: RESNET_SUBNET }).score).toBe(net.complexity(RESNET_SUBNET).params);
    expect(() => proxyScorer(buildProxy({ type: 'SNIP' }), { supernet: net })).toThrow(ProxyError);
    expect(() => buildProxy({ type: 'SNIP', batch_size: 8 }).score({ supernet: net, choices: RESNET_SUBNET, batch })).toThrow(/batch_size is 8 but the batch holds 4/);
    const snip = proxyScorer(buildProxy({ type: 'SNIP', batch_size: 4 }), { supernet: net, batch });
    expect(snip(RESNET_SUBNET)).toBeGreaterThan(0);
    net.dispose();
  });
});

