import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { extractSubnetGraph } from '../../src/evaluation/export/subnet_graph.js';
import { latencyUnits, unitGraph, type LatencyUnit } from '../../src/evaluation/latency/units.js';
import { fitAffine, LatencyPredictor, LatencyTableError, measureUnits, type LatencyTableFile } from '../../src/evaluation/latency/latency_table.js';
import { OrtTimer, quantile } from '../../src/evaluation/latency/ort_timer.js';
import { loadOnnxRuntime } from '../../src/evaluation/export/onnx/runtime.js';
import { runDeployGraph } from '../../src/evaluation/export/deploy_graph.js';
import { EvolutionSearch } from '../../src/search/evolution_search.js';
import { ConstraintError, satisfies } from '../../src/search/constraints.js';
import { Rng } from '../../src/services/rng.js';
import { tinyFamilies } from './export_fixtures.js';
import { toyComplexity, toyMutator, toyScore } from '../search/toy_space.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ort = await loadOnnxRuntime();
if (!ort.ok) console.warn(`latency.test.ts: onnxruntime timing checks skipped: ${ort.reason}`);

describe('latency units', () => {
  it('cover every conv once with its activation fused and track spatial sizes', () => {
    const [resnet, , mobilenet] = tinyFamilies();
    resnet!.net.mutator.setMax();
    const { graph } = extractSubnetGraph(resnet!.net, { weights: false });
    const units = latencyUnits(graph);
    const convs = graph.nodes.filter((n) => n.op === 'conv2d').length;
    expect(units.filter((u) => u.kind === 'conv').length).toBe(convs);
    // Every ReLU is fused into a conv or a residual add; none is left as its own kernel.
    expect(units.filter((u) => u.kind === 'act').length).toBe(0);
    expect(units.filter((u) => u.kind === 'add').every((u) => u.kind === 'add' && u.act === 'relu')).toBe(true);
    // 13x13 input, stride-2 stem conv -> 7x7, then a 3x3/2 max pool -> 4x4.
    expect(units[0]).toMatchObject({ kind: 'conv', h: 13, w: 13, stride: 2, act: 'relu' });
    expect(units[1]).toMatchObject({ kind: 'max_pool', h: 7, w: 7 });
    expect(units.at(-1)).toMatchObject({ kind: 'head', h: 2, w: 2, out: 5 });

    mobilenet!.net.mutator.setMax();
    const mu = latencyUnits(extractSubnetGraph(mobilenet!.net, { weights: false }).graph);
    expect(mu.some((u) => u.kind === 'conv' && u.groups > 1 && u.groups === u.cin && u.act === 'relu6')).toBe(true);
    expect(mu.some((u) => u.kind === 'add' && u.act === 'none')).toBe(true);
  });

  it('a unit graph computes the unit: output shape and the fused activation', () => {
    const u: LatencyUnit = { kind: 'conv', key: 'k', cin: 3, cout: 5, k: 3, stride: 2, groups: 1, h: 9, w: 9, act: 'relu6' };
    const { graph, outputDims } = unitGraph(u);
    expect(outputDims).toEqual([1, 5, 5, 5]);
    const y = runDeployGraph(graph, tf.randomNormal([1, 9, 9, 3], 0, 3) as tf.Tensor4D);
    expect(y.shape).toEqual([1, 5, 5, 5]);
    expect(y.max().dataSync()[0]).toBeLessThanOrEqual(6);
    expect(y.min().dataSync()[0]).toBeGreaterThanOrEqual(0);
  });
});

describe('LatencyPredictor', () => {
  const [resnet] = tinyFamilies();
  const net = resnet!.net;
  const table = (): LatencyTableFile => {
    const units: Record<string, number> = {};
    const rng = new Rng(1);
    for (let i = 0; i < 40; i++) {
      net.mutator.set(net.mutator.sample(rng));
      for (const u of latencyUnits(extractSubnetGraph(net, { weights: false }).graph)) units[u.key] = u.kind === 'conv' ? u.cin * u.cout * u.k * u.k * 1e-5 : 1e-3;
    }
    for (const s of [net.mutator.setMax(), net.mutator.setMin()]) {
      net.mutator.set(s);
      for (const u of latencyUnits(extractSubnetGraph(net, { weights: false }).graph)) units[u.key] = u.kind === 'conv' ? u.cin * u.cout * u.k * u.k * 1e-5 : 1e-3;
    }
    return { runtime: 'test', batch: 1, overhead_ms: 0.05, units, measured: { at: '', warmup: 0, runs: 1, rounds: 1 } };
  };

  it('sums the table over a subnet, applies the affine correction, and restores the mutator', () => {
    const t = table();
    const p = new LatencyPredictor(t);
    const max = net.mutator.setMax();
    const min = net.mutator.setMin();
    const sum = p.unitSum(extractSubnetGraph(net, { weights: false }).graph);
    expect(p.predict(net, min)).toBeCloseTo(0.05 + sum, 12);
    expect(net.mutator.current()).toEqual(min);
    expect(p.predict(net, max)).toBeGreaterThan(p.predict(net, min));
    const q = new LatencyPredictor({ ...t, calibration: { intercept_ms: 0.2, scale: 0.5, subnets: 3 } });
    expect(q.predict(net, min)).toBeCloseTo(0.2 + 0.5 * sum, 12);
  });

  it('names a layer missing from the table', () => {
    const t = table();
    delete t.units[Object.keys(t.units)[0]!];
    const p = new LatencyPredictor(t, 'table.json');
    const rng = new Rng(9);
    expect(() => {
      for (let i = 0; i < 200; i++) p.predict(net, net.mutator.sample(rng));
      p.predict(net, net.mutator.setMax());
      p.predict(net, net.mutator.setMin());
    }).toThrow(/table\.json has no entry for '.+': .*rebuild it/);
  });

  it('reads a table file and refuses a file that is not one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lat-'));
    writeFileSync(join(dir, 't.json'), JSON.stringify(table()));
    expect(LatencyPredictor.fromFile(join(dir, 't.json')).table.overhead_ms).toBe(0.05);
    writeFileSync(join(dir, 'bad.json'), '{"a": 1}');
    expect(() => LatencyPredictor.fromFile(join(dir, 'bad.json'))).toThrow(LatencyTableError);
  });

  it('fitAffine recovers a line; quantile interpolates', () => {
    const f = fitAffine([1, 2, 3, 4], [0.5, 0.7, 0.9, 1.1]);
    expect(f.slope).toBeCloseTo(0.2, 12);
    expect(f.intercept).toBeCloseTo(0.3, 12);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 12);
  });
});

describe('latency_ms constraint', () => {
  const latency = (c: Record<string, number>) => 0.1 + 0.02 * Object.values(c).reduce((a, b) => a + b, 0);

  it('satisfies() bounds latency_ms and refuses a latency constraint without a predictor', () => {
    expect(satisfies({ macs: 1, params: 1, latency_ms: 0.5 }, { latency_ms: [0, 0.6] })).toBe(true);
    expect(satisfies({ macs: 1, params: 1, latency_ms: 0.7 }, { latency_ms: [0, 0.6] })).toBe(false);
    expect(() => satisfies({ macs: 1, params: 1 }, { latency_ms: [0, 0.6] })).toThrow(ConstraintError);
  });

  it('EvolutionSearch scores only candidates under the latency bound and records their latency', async () => {
    const res = await new EvolutionSearch({ population_size: 10, top_k: 4, num_mutation: 5, num_crossover: 5, mutate_prob: 0.2, max_generations: 4, seed: 1, constraints: { latency_ms: [0, 0.5] } }).run({
      mutator: toyMutator(), score: toyScore, complexity: (c) => ({ ...toyComplexity(c), latency_ms: latency(c) }),
    });
    expect(res.candidates.length).toBeGreaterThan(10);
    for (const c of res.candidates) {
      expect(c.latency_ms).toBeCloseTo(latency(c.choices), 12);
      expect(c.latency_ms!).toBeLessThanOrEqual(0.5);
    }
  });
});

describe.skipIf(!ort.ok)('onnxruntime timing', () => {
  it('measures a large conv slower than a tiny one, and the table holds both', async () => {
    const timer = await OrtTimer.create(1);
    const small: LatencyUnit = { kind: 'conv', key: 'small', cin: 1, cout: 4, k: 1, stride: 1, groups: 1, h: 4, w: 4, act: 'none' };
    const large: LatencyUnit = { kind: 'conv', key: 'large', cin: 64, cout: 64, k: 3, stride: 1, groups: 1, h: 28, w: 28, act: 'relu' };
    const t = await measureUnits(timer, [small, large], { warmup: 3, runs: 15, rounds: 2 });
    expect(Object.keys(t.units).sort()).toEqual(['large', 'small']);
    expect(t.overhead_ms).toBeGreaterThan(0);
    // 29 M MACs against 64: orders of magnitude apart, so load on the machine cannot swap them.
    expect(t.units.large!).toBeGreaterThan(t.units.small! + 0.1);
  });
});

describe('tfjs timing', () => {
  it('times the running engine: a large conv slower than a tiny one', async () => {
    const { TfjsTimer } = await import('../../src/evaluation/latency/ort_timer.js');
    const timer = new TfjsTimer();
    expect(timer.runtime).toBe('tfjs, engine cpu');
    const before = tf.memory().numTensors;
    const t = await measureUnits(timer, [
      { kind: 'conv', key: 'small', cin: 1, cout: 4, k: 1, stride: 1, groups: 1, h: 4, w: 4, act: 'none' },
      { kind: 'conv', key: 'large', cin: 32, cout: 32, k: 3, stride: 1, groups: 1, h: 16, w: 16, act: 'relu' },
    ], { warmup: 1, runs: 5, rounds: 1 });
    expect(tf.memory().numTensors).toBe(before);
    // 2.4 M MACs on the cpu backend (tens of ms) against 64 MACs.
    expect(t.units.large!).toBeGreaterThan(t.units.small! + 1);
  });
});
