import { tf, type Tensor, type Tensor4D } from '../../tf.js';
import { isDepthwise, SubnetExportError, type GraphNode, type SubnetGraph } from './subnet_graph.js';

/**
 * A subnet ready for inference runtimes: every batch norm merged into the conv before it (weight
 * scaled per output channel, a bias added), weights in PyTorch/ONNX layouts (conv OIHW, linear
 * [out, in]) as plain arrays. What the ONNX writer, the int8 calibration and the latency table read.
 */
export type DeployNode =
  | { op: 'conv'; name: string; inputs: [string]; in_channels: number; out_channels: number; kernel_size: number; stride: number; padding: number; groups: number }
  | { op: 'relu' | 'relu6' | 'global_avg_pool'; name: string; inputs: [string] }
  | { op: 'add'; name: string; inputs: [string, string] }
  | { op: 'max_pool'; name: string; inputs: [string]; size: number; stride: number; padding: number }
  | { op: 'linear'; name: string; inputs: [string]; in_features: number; out_features: number };

export interface DeployTensor {
  shape: number[];
  values: Float32Array;
}

export interface DeployGraph {
  /** [H, W, C] as in tfrazor; ONNX models take NCHW [N, C, H, W]. */
  input_shape: [number, number, number];
  num_classes: number;
  nodes: DeployNode[];
  /** `<node>.weight` and `<node>.bias` of every conv and linear node (every one has a bias). */
  weights: Record<string, DeployTensor>;
}

/** tfrazor conv weight [k, k, in, out] (depthwise [k, k, c, 1]) as OIHW [out, in / groups, k, k]. */
export function convWeightOIHW(hwio: DeployTensor, depthwise: boolean): DeployTensor {
  const [kh, kw, ci, co] = hwio.shape as [number, number, number, number];
  const [o, i] = depthwise ? [ci, 1] : [co, ci];
  const out = new Float32Array(hwio.values.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let a = 0; a < ci; a++) {
        for (let b = 0; b < co; b++) {
          const src = ((y * kw + x) * ci + a) * co + b;
          const [oo, ii] = depthwise ? [a, 0] : [b, a];
          out[((oo * i + ii) * kh + y) * kw + x] = hwio.values[src]!;
        }
      }
    }
  }
  return { shape: [o, i, kh, kw], values: out };
}

/** tfrazor linear weight [in, out] as [out, in]. */
export function linearWeightOI(io: DeployTensor): DeployTensor {
  const [ni, no] = io.shape as [number, number];
  const out = new Float32Array(io.values.length);
  for (let a = 0; a < ni; a++) for (let b = 0; b < no; b++) out[b * ni + a] = io.values[a * no + b]!;
  return { shape: [no, ni], values: out };
}

const host = (t: Tensor): DeployTensor => ({ shape: [...t.shape], values: new Float32Array(t.dataSync() as Float32Array) });

/**
 * Merge each batch norm into the conv that feeds it: W' = W * gamma / sqrt(var + eps) per output
 * channel, b = beta - mean * gamma / sqrt(var + eps). The merged conv takes the BN node's name as
 * its output, so later nodes read it unchanged. A BN whose input is not a conv read only by it is
 * refused (it cannot be merged).
 */
export function mergeBatchNorm(graph: SubnetGraph, weights: Record<string, Tensor>): DeployGraph {
  const readers = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  const byName = new Map<string, GraphNode>(graph.nodes.map((n) => [n.name, n]));
  const w = (name: string): DeployTensor => {
    const t = weights[name];
    if (!t) throw new SubnetExportError(`Deploy graph: weight '${name}' is missing.`);
    return host(t);
  };
  const merged = new Set<string>();
  const nodes: DeployNode[] = [];
  const out: Record<string, DeployTensor> = {};
  for (const n of graph.nodes) {
    switch (n.op) {
      case 'conv2d': {
        const bn = graph.nodes.find((m) => m.op === 'batch_norm' && m.inputs[0] === n.name);
        if (!bn || readers.get(n.name) !== 1) throw new SubnetExportError(`Deploy graph: conv '${n.name}' is not followed by a batch norm that alone reads it; only conv-BN pairs are supported.`);
        merged.add(bn.name);
        const dw = isDepthwise(n);
        const kernel = convWeightOIHW(w(`${n.name}.weight`), dw);
        const [gamma, beta, mean, variance] = ['gamma', 'beta', 'running_mean', 'running_var'].map((k) => w(`${bn.name}.${k}`).values) as Float32Array[];
        const eps = (bn as Extract<GraphNode, { op: 'batch_norm' }>).eps;
        const co = n.out_channels;
        const per = kernel.values.length / co;
        const bias = new Float32Array(co);
        for (let o = 0; o < co; o++) {
          const s = gamma![o]! / Math.sqrt(variance![o]! + eps);
          for (let j = 0; j < per; j++) kernel.values[o * per + j]! *= s;
          bias[o] = beta![o]! - mean![o]! * s;
        }
        nodes.push({
          op: 'conv', name: bn.name, inputs: n.inputs, in_channels: n.in_channels, out_channels: co,
          kernel_size: n.kernel_size, stride: n.stride, padding: n.padding, groups: dw ? n.in_channels : 1,
        });
        out[`${bn.name}.weight`] = kernel;
        out[`${bn.name}.bias`] = { shape: [co], values: bias };
        break;
      }
      case 'batch_norm':
        if (!merged.has(n.name)) {
          const src = byName.get(n.inputs[0]);
          throw new SubnetExportError(`Deploy graph: batch norm '${n.name}' follows '${src?.name ?? n.inputs[0]}' (${src?.op ?? 'the input'}), not a conv; it cannot be merged.`);
        }
        break;
      case 'linear': {
        nodes.push({ op: 'linear', name: n.name, inputs: n.inputs, in_features: n.in_features, out_features: n.out_features });
        out[`${n.name}.weight`] = linearWeightOI(w(`${n.name}.weight`));
        out[`${n.name}.bias`] = n.bias ? w(`${n.name}.bias`) : { shape: [n.out_features], values: new Float32Array(n.out_features) };
        break;
      }
      case 'max_pool':
        nodes.push({ op: 'max_pool', name: n.name, inputs: n.inputs, size: n.size, stride: n.stride, padding: n.padding });
        break;
      case 'add':
        nodes.push({ op: 'add', name: n.name, inputs: n.inputs });
        break;
      default:
        nodes.push({ op: n.op, name: n.name, inputs: n.inputs });
    }
  }
  return { input_shape: [...graph.input_shape], num_classes: graph.num_classes, nodes, weights: out };
}

/** OIHW back to tfjs's filter layout (conv [k, k, in, out], depthwise [k, k, c, 1]). */
function tfFilter(t: DeployTensor, depthwise: boolean): Tensor4D {
  const [o, i, kh, kw] = t.shape as [number, number, number, number];
  const w = tf.tensor4d(t.values, [o, i, kh, kw]);
  const perm = depthwise ? [2, 3, 0, 1] : [2, 3, 1, 0];
  const f = tf.transpose(w, perm) as Tensor4D;
  w.dispose();
  return f;
}

/** A deploy graph ready to run with tfjs: its weights uploaded once as tensors. */
export interface CompiledDeployGraph {
  /** NHWC images to logits; `observe` sees every node's output (NHWC) before it is disposed. */
  run(x: Tensor4D, observe?: (node: DeployNode, value: Tensor) => void): Tensor;
  dispose(): void;
}

export function compileDeployGraph(graph: DeployGraph): CompiledDeployGraph {
  const params = new Map<string, Tensor>();
  for (const n of graph.nodes) {
    if (n.op === 'conv') params.set(`${n.name}.weight`, tfFilter(graph.weights[`${n.name}.weight`]!, n.groups > 1));
    if (n.op === 'linear') {
      const wt = graph.weights[`${n.name}.weight`]!;
      params.set(`${n.name}.weight`, tf.tensor2d(wt.values, wt.shape as [number, number]));
    }
    if (n.op === 'conv' || n.op === 'linear') params.set(`${n.name}.bias`, tf.tensor1d(graph.weights[`${n.name}.bias`]!.values));
  }
  return {
    run: (x, observe) =>
      tf.tidy(() => {
        const values = new Map<string, Tensor>([['input', x]]);
        for (const n of graph.nodes) {
          const a = values.get(n.inputs[0])!;
          let y: Tensor;
          switch (n.op) {
            case 'conv': {
              const filter = params.get(`${n.name}.weight`) as Tensor4D;
              const conv = n.groups > 1 ? tf.depthwiseConv2d(a as Tensor4D, filter, n.stride, n.padding) : tf.conv2d(a as Tensor4D, filter, n.stride, n.padding);
              y = tf.add(conv, params.get(`${n.name}.bias`)!);
              break;
            }
            case 'relu':
              y = tf.relu(a);
              break;
            case 'relu6':
              y = tf.relu6(a);
              break;
            case 'add':
              y = tf.add(a, values.get(n.inputs[1])!);
              break;
            case 'max_pool':
              y = tf.maxPool(a as Tensor4D, n.size, n.stride, n.padding);
              break;
            case 'global_avg_pool':
              y = tf.mean(a, [1, 2]);
              break;
            case 'linear':
              y = tf.add(tf.matMul(a as tf.Tensor2D, params.get(`${n.name}.weight`) as tf.Tensor2D, false, true), params.get(`${n.name}.bias`)!);
              break;
          }
          observe?.(n, y);
          values.set(n.name, y);
        }
        return values.get(graph.nodes.at(-1)!.name)!;
      }),
    dispose: () => tf.dispose([...params.values()]),
  };
}

/**
 * Run a deploy graph with tfjs on NHWC images: the reference the ONNX export is checked against
 * and what int8 calibration observes. `observe` sees every node's output (NHWC) before it is
 * disposed; returns the logits.
 */
export function runDeployGraph(graph: DeployGraph, x: Tensor4D, observe?: (node: DeployNode, value: Tensor) => void): Tensor {
  const compiled = compileDeployGraph(graph);
  try {
    return compiled.run(x, observe);
  } finally {
    compiled.dispose();
  }
}
