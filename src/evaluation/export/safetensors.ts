import type { Tensor } from '../../tf.js';
import type { Module } from '../../models/module.js';
import { DynamicConv2d } from '../../models/ops/dynamic_conv2d.js';
import { DynamicBatchNorm2d } from '../../models/ops/dynamic_batchnorm2d.js';
import { DynamicLinear } from '../../models/ops/dynamic_linear.js';
import { convWeightOIHW, linearWeightOI } from './deploy_graph.js';
import { isDepthwise, SubnetExportError, type SubnetGraph } from './subnet_graph.js';

/** One tensor of a safetensors file (F32 or I64, row-major). */
export type SafeTensor = { dtype: 'F32'; shape: number[]; data: Float32Array } | { dtype: 'I64'; shape: number[]; data: BigInt64Array };

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {...}}` padded with spaces to
 * 8 bytes, then the tensors' little-endian bytes back to back.
 */
export function encodeSafetensors(tensors: Record<string, SafeTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const n of names) {
    const t = tensors[n]!;
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new SubnetExportError(`safetensors: '${n}' has shape [${t.shape}] but ${t.data.length} values.`);
    header[n] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const n of names) {
    const d = tensors[n]!.data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    at += d.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array): { tensors: Record<string, SafeTensor>; metadata: Record<string, string> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = Number(view.getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + len)).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const base = 8 + len;
  const tensors: Record<string, SafeTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, h] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = h as unknown as Record<string, string>;
      continue;
    }
    const raw = bytes.slice(base + h.data_offsets[0], base + h.data_offsets[1]);
    if (h.dtype === 'F32') tensors[name] = { dtype: 'F32', shape: h.shape, data: new Float32Array(raw.buffer) };
    else if (h.dtype === 'I64') tensors[name] = { dtype: 'I64', shape: h.shape, data: new BigInt64Array(raw.buffer) };
    else throw new SubnetExportError(`safetensors: tensor '${name}' has dtype ${h.dtype}; only F32 and I64 are read.`);
  }
  return { tensors, metadata };
}

const f32 = (t: Tensor): { shape: number[]; values: Float32Array } => ({ shape: [...t.shape], values: new Float32Array(t.dataSync() as Float32Array) });
const asSafe = (t: { shape: number[]; values: Float32Array }): SafeTensor => ({ dtype: 'F32', shape: t.shape, data: t.values });

/** BN tensors under PyTorch's names: weight (gamma), bias (beta), running stats, num_batches_tracked. */
function batchNormState(prefix: string, get: (k: string) => Tensor, tracked: number, out: Record<string, SafeTensor>): void {
  out[`${prefix}.weight`] = asSafe(f32(get('gamma')));
  out[`${prefix}.bias`] = asSafe(f32(get('beta')));
  out[`${prefix}.running_mean`] = asSafe(f32(get('running_mean')));
  out[`${prefix}.running_var`] = asSafe(f32(get('running_var')));
  out[`${prefix}.num_batches_tracked`] = { dtype: 'I64', shape: [], data: BigInt64Array.of(BigInt(tracked)) };
}

/**
 * A subnet's sliced weights as a PyTorch state dict: the supernet's module paths as names, convs
 * OIHW ([c, 1, k, k] depthwise), linear [out, in], BN gamma/beta as weight/bias; loads with
 * strict `load_state_dict` into the network of nn.Conv2d(bias=False) / nn.BatchNorm2d /
 * nn.Linear the graph describes.
 */
export function subnetTorchState(graph: SubnetGraph, weights: Record<string, Tensor>): Record<string, SafeTensor> {
  const out: Record<string, SafeTensor> = {};
  const w = (name: string): Tensor => {
    const t = weights[name];
    if (!t) throw new SubnetExportError(`safetensors export: weight '${name}' is missing.`);
    return t;
  };
  for (const n of graph.nodes) {
    if (n.op === 'conv2d') out[`${n.name}.weight`] = asSafe(convWeightOIHW(f32(w(`${n.name}.weight`)), isDepthwise(n)));
    else if (n.op === 'batch_norm') batchNormState(n.name, (k) => w(`${n.name}.${k}`), 0, out);
    else if (n.op === 'linear') {
      out[`${n.name}.weight`] = asSafe(linearWeightOI(f32(w(`${n.name}.weight`))));
      if (n.bias) out[`${n.name}.bias`] = asSafe(f32(w(`${n.name}.bias`)));
    }
  }
  return out;
}

/**
 * Every weight of a supernet (the full shared tensors) under PyTorch names and layouts, as in
 * subnetTorchState: a subnet's tensor is the first output/input channels and centre of the kernel
 * of the supernet tensor of the same name.
 */
export function supernetTorchState(supernet: Module): Record<string, SafeTensor> {
  const out: Record<string, SafeTensor> = {};
  for (const [path, m] of supernet.namedModules()) {
    if (m instanceof DynamicConv2d && m.weight) out[`${path}.weight`] = asSafe(convWeightOIHW(f32(m.weight), m.depthwise));
    else if (m instanceof DynamicBatchNorm2d && m.gamma) {
      const by: Record<string, Tensor> = { gamma: m.gamma, beta: m.beta!, running_mean: m.runningMean!, running_var: m.runningVar! };
      batchNormState(path, (k) => by[k]!, m.numBatchesTracked, out);
    } else if (m instanceof DynamicLinear && m.weight) {
      out[`${path}.weight`] = asSafe(linearWeightOI(f32(m.weight)));
      if (m.bias) out[`${path}.bias`] = asSafe(f32(m.bias));
    }
  }
  return out;
}
