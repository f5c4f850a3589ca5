import { isDepthwise, SubnetExportError, type SubnetGraph } from '../export/subnet_graph.js';
import type { DeployGraph, DeployNode, DeployTensor } from '../export/deploy_graph.js';
import { Rng } from '../../services/rng.js';

/**
 * One kernel a runtime executes for a subnet, with everything its latency depends on: a conv with
 * its merged BN and the activation fused after it, a residual add (+ ReLU), a max pool, or the
 * head (global average pool + linear). Its key names it in a latency table.
 */
export type LatencyUnit =
  | { kind: 'conv'; key: string; cin: number; cout: number; k: number; stride: number; groups: number; h: number; w: number; act: 'none' | 'relu' | 'relu6' }
  | { kind: 'add'; key: string; c: number; h: number; w: number; act: 'none' | 'relu' }
  | { kind: 'act'; key: string; c: number; h: number; w: number; act: 'relu' | 'relu6' }
  | { kind: 'max_pool'; key: string; c: number; h: number; w: number; size: number; stride: number; padding: number }
  | { kind: 'head'; key: string; c: number; h: number; w: number; out: number };

const out = (x: number, k: number, s: number, p: number): number => Math.floor((x + 2 * p - k) / s) + 1;

/** The latency units of a subnet graph (weights not needed), in execution order. */
export function latencyUnits(graph: SubnetGraph): LatencyUnit[] {
  const shape = new Map<string, [number, number, number]>([['input', [...graph.input_shape]]]);
  const readers = new Map<string, string[]>();
  for (const n of graph.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n.name]);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const soleActivation = (name: string) => {
    const r = readers.get(name) ?? [];
    const n = r.length === 1 ? byName.get(r[0]!) : undefined;
    return n && (n.op === 'relu' || n.op === 'relu6') ? n : undefined;
  };
  const fused = new Set<string>();
  const units: LatencyUnit[] = [];
  let pending: { c: number; h: number; w: number } | undefined;
  for (const n of graph.nodes) {
    const [h, w, c] = shape.get(n.inputs[0]) ?? [1, 1, 0];
    switch (n.op) {
      case 'conv2d': {
        const ho = out(h, n.kernel_size, n.stride, n.padding);
        const wo = out(w, n.kernel_size, n.stride, n.padding);
        shape.set(n.name, [ho, wo, n.out_channels]);
        break;
      }
      case 'batch_norm': {
        const conv = byName.get(n.inputs[0]);
        if (conv?.op !== 'conv2d') throw new SubnetExportError(`Latency units: batch norm '${n.name}' does not follow a conv.`);
        shape.set(n.name, shape.get(conv.name)!);
        const a = soleActivation(n.name);
        if (a) fused.add(a.name);
        const [ih, iw] = shape.get(conv.inputs[0])!;
        const act = a ? (a.op as 'relu' | 'relu6') : 'none';
        const groups = isDepthwise(conv) ? conv.in_channels : 1;
        units.push({
          kind: 'conv', cin: conv.in_channels, cout: conv.out_channels, k: conv.kernel_size, stride: conv.stride, groups, h: ih, w: iw, act,
          key: `conv ${conv.in_channels}>${conv.out_channels} k${conv.kernel_size} s${conv.stride} g${groups} ${ih}x${iw} ${act}`,
        });
        break;
      }
      case 'relu':
      case 'relu6':
        shape.set(n.name, [h, w, c]);
        if (!fused.has(n.name)) units.push({ kind: 'act', c, h, w, act: n.op, key: `${n.op} ${c} ${h}x${w}` });
        break;
      case 'add': {
        shape.set(n.name, [h, w, c]);
        const a = soleActivation(n.name);
        const act = a?.op === 'relu' ? 'relu' : 'none';
        if (act === 'relu') fused.add(a!.name);
        units.push({ kind: 'add', c, h, w, act, key: `add ${c} ${h}x${w} ${act}` });
        break;
      }
      case 'max_pool':
        shape.set(n.name, [out(h, n.size, n.stride, n.padding), out(w, n.size, n.stride, n.padding), c]);
        units.push({ kind: 'max_pool', c, h, w, size: n.size, stride: n.stride, padding: n.padding, key: `max_pool ${c} ${h}x${w} k${n.size} s${n.stride} p${n.padding}` });
        break;
      case 'global_avg_pool':
        shape.set(n.name, [1, 1, c]);
        pending = { c, h, w };
        break;
      case 'linear':
        if (!pending) throw new SubnetExportError(`Latency units: linear '${n.name}' is not preceded by a global average pool.`);
        units.push({ kind: 'head', ...pending, out: n.out_features, key: `head ${pending.c} ${pending.h}x${pending.w} >${n.out_features}` });
        shape.set(n.name, [1, 1, n.out_features]);
        break;
    }
  }
  return units;
}

/**
 * A deploy graph of one unit with seeded random weights, for timing it alone: the input is the
 * unit's input tensor, the output its output.
 */
export function unitGraph(u: LatencyUnit, seed = 0): { graph: DeployGraph; outputDims: number[] } {
  const rng = new Rng(seed);
  const rand = (shape: number[]): DeployTensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    return { shape, values: Float32Array.from({ length: n }, () => rng.random() - 0.5) };
  };
  const nodes: DeployNode[] = [];
  const weights: Record<string, DeployTensor> = {};
  let x = 'input';
  let outDims: number[];
  const c = u.kind === 'conv' ? u.cin : u.c;
  switch (u.kind) {
    case 'conv': {
      const p = Math.floor(u.k / 2);
      nodes.push({ op: 'conv', name: 'conv', inputs: ['input'], in_channels: u.cin, out_channels: u.cout, kernel_size: u.k, stride: u.stride, padding: p, groups: u.groups });
      weights['conv.weight'] = rand([u.cout, u.cin / u.groups, u.k, u.k]);
      weights['conv.bias'] = rand([u.cout]);
      x = 'conv';
      if (u.act !== 'none') nodes.push({ op: u.act, name: 'act', inputs: [x] });
      outDims = [1, u.cout, out(u.h, u.k, u.stride, p), out(u.w, u.k, u.stride, p)];
      break;
    }
    case 'add':
      // Both operands are the input: the kernel reads two tensors of the same shape either way.
      nodes.push({ op: 'add', name: 'add', inputs: ['input', 'input'] });
      if (u.act === 'relu') nodes.push({ op: 'relu', name: 'act', inputs: ['add'] });
      outDims = [1, u.c, u.h, u.w];
      break;
    case 'act':
      nodes.push({ op: u.act, name: 'act', inputs: ['input'] });
      outDims = [1, u.c, u.h, u.w];
      break;
    case 'max_pool':
      nodes.push({ op: 'max_pool', name: 'pool', inputs: ['input'], size: u.size, stride: u.stride, padding: u.padding });
      outDims = [1, u.c, out(u.h, u.size, u.stride, u.padding), out(u.w, u.size, u.stride, u.padding)];
      break;
    case 'head':
      nodes.push({ op: 'global_avg_pool', name: 'pool', inputs: ['input'] });
      nodes.push({ op: 'linear', name: 'fc', inputs: ['pool'], in_features: u.c, out_features: u.out });
      weights['fc.weight'] = rand([u.out, u.c]);
      weights['fc.bias'] = rand([u.out]);
      outDims = [1, u.out];
      break;
  }
  return { graph: { input_shape: [u.h, u.w, c], num_classes: outDims[1]!, nodes, weights }, outputDims: outDims };
}
