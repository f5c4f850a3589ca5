import type { DeployGraph, DeployNode, DeployTensor } from '../deploy_graph.js';
import { ONNX_ATTR, ONNX_DTYPE, onnxType } from './onnx_proto.js';
import type { QuantParams } from './quantize.js';

/** Names of the model's input (NCHW float32 images) and output (logits). */
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'logits';
const OPSET = 13;
const IR_VERSION = 7;

type Attr = Record<string, unknown>;
type Tensor = Record<string, unknown>;
type Node = { input: string[]; output: string[]; name: string; op_type: string; attribute: Attr[] };

const ints = (name: string, v: number[]): Attr => ({ name, type: ONNX_ATTR.INTS, ints: v });
const int = (name: string, v: number): Attr => ({ name, type: ONNX_ATTR.INT, i: v });

function tensorProto(name: string, dtype: number, shape: number[], data: Float32Array | Int8Array | Uint8Array | Int32Array): Tensor {
  return { name, data_type: dtype, dims: shape, raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
const floatTensor = (name: string, t: DeployTensor): Tensor => tensorProto(name, ONNX_DTYPE.FLOAT, t.shape, t.values);

function valueInfo(name: string, dims: (number | string)[]): Record<string, unknown> {
  return {
    name,
    type: { tensor_type: { elem_type: ONNX_DTYPE.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
  };
}

export interface OnnxModelOptions {
  /** int8 QDQ model: per-tensor activation parameters from calibration (see quantize.ts). */
  quant?: QuantParams;
  docString?: string;
  /** Output dims (default [batch, num_classes]); for models of a single layer (latency tables). */
  outputDims?: (number | string)[];
}

/**
 * An ONNX model (opset 13) of a deploy graph, encoded with protobufjs: input `input` NCHW
 * [batch, C, H, W], output `logits` [batch, classes]. Conv (BN merged, with bias), Relu, Clip
 * (relu6), Add, MaxPool, GlobalAveragePool + Flatten, Gemm.
 *
 * With `quant` it is a static int8 QDQ model as onnxruntime's quantizer writes them: weights int8
 * per output channel (symmetric) behind DequantizeLinear, biases int32 at input scale x weight
 * scale, and a QuantizeLinear/DequantizeLinear pair (uint8, calibrated range) on the input and on
 * every activation except the logits; a conv or add read only by its ReLU/ReLU6 is quantized
 * after the activation, so the runtime fuses them into one integer kernel (QLinearConv, QLinearAdd).
 */
export function buildOnnxModel(graph: DeployGraph, opts: OnnxModelOptions = {}): Uint8Array {
  const { quant } = opts;
  const nodes: Node[] = [];
  const init: Tensor[] = [];
  const last = graph.nodes.at(-1)!.name;
  const readers = new Map<string, DeployNode[]>();
  for (const n of graph.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n]);
  /** The tensor later nodes read for a node output (its DQ output where quantized). */
  const readName = new Map<string, string>();
  const out = (n: string): string => (n === last ? ONNX_OUTPUT : n);
  const read = (n: string): string => readName.get(n) ?? n;

  const quantizeActivation = (tensor: string, emitted: string): void => {
    const q = quant!.activations[tensor];
    if (!q) throw new Error(`int8 export: no calibration range for '${tensor}'.`);
    const s = `${tensor}.act_scale`;
    const z = `${tensor}.act_zero_point`;
    init.push(tensorProto(s, ONNX_DTYPE.FLOAT, [], new Float32Array([q.scale])));
    init.push(tensorProto(z, ONNX_DTYPE.UINT8, [], new Uint8Array([q.zeroPoint])));
    nodes.push({ name: `${tensor}.quantize`, op_type: 'QuantizeLinear', input: [emitted, s, z], output: [`${tensor}.q`], attribute: [] });
    nodes.push({ name: `${tensor}.dequantize`, op_type: 'DequantizeLinear', input: [`${tensor}.q`, s, z], output: [`${tensor}.dq`], attribute: [] });
    readName.set(tensor, `${tensor}.dq`);
  };
  /** Weight (and bias) as initializers, int8 behind DequantizeLinear when quantizing. */
  const params = (n: DeployNode & { op: 'conv' | 'linear' }): [string, string] => {
    const w = graph.weights[`${n.name}.weight`]!;
    const b = graph.weights[`${n.name}.bias`]!;
    if (!quant) {
      init.push(floatTensor(`${n.name}.weight`, w), floatTensor(`${n.name}.bias`, b));
      return [`${n.name}.weight`, `${n.name}.bias`];
    }
    const inScale = quant.activations[n.inputs[0]]!.scale;
    const qw = quantizeWeightPerChannel(w);
    const biasScale = Float32Array.from(qw.scales, (s) => s * inScale);
    const qb = Int32Array.from(b.values, (v, o) => Math.round(v / biasScale[o]!));
    const co = w.shape[0]!;
    init.push(
      tensorProto(`${n.name}.weight_quantized`, ONNX_DTYPE.INT8, w.shape, qw.values),
      tensorProto(`${n.name}.weight_scale`, ONNX_DTYPE.FLOAT, [co], qw.scales),
      tensorProto(`${n.name}.weight_zero_point`, ONNX_DTYPE.INT8, [co], new Int8Array(co)),
      tensorProto(`${n.name}.bias_quantized`, ONNX_DTYPE.INT32, [co], qb),
      tensorProto(`${n.name}.bias_scale`, ONNX_DTYPE.FLOAT, [co], biasScale),
      tensorProto(`${n.name}.bias_zero_point`, ONNX_DTYPE.INT32, [co], new Int32Array(co)),
    );
    for (const k of ['weight', 'bias']) {
      nodes.push({
        name: `${n.name}.${k}_dequantize`, op_type: 'DequantizeLinear',
        input: [`${n.name}.${k}_quantized`, `${n.name}.${k}_scale`, `${n.name}.${k}_zero_point`], output: [`${n.name}.${k}`], attribute: [int('axis', 0)],
      });
    }
    return [`${n.name}.weight`, `${n.name}.bias`];
  };

  if (quant) quantizeActivation(ONNX_INPUT, ONNX_INPUT);
  let clipBounds = false;
  for (const n of graph.nodes) {
    const x = read(n.inputs[0]);
    const o = out(n.name);
    switch (n.op) {
      case 'conv': {
        const [w, b] = params(n);
        const k = n.kernel_size;
        nodes.push({
          name: n.name, op_type: 'Conv', input: [x, w, b], output: [o],
          attribute: [ints('kernel_shape', [k, k]), ints('strides', [n.stride, n.stride]), ints('pads', [n.padding, n.padding, n.padding, n.padding]), ints('dilations', [1, 1]), int('group', n.groups)],
        });
        break;
      }
      case 'relu':
        nodes.push({ name: n.name, op_type: 'Relu', input: [x], output: [o], attribute: [] });
        break;
      case 'relu6':
        clipBounds = true;
        nodes.push({ name: n.name, op_type: 'Clip', input: [x, 'relu6.min', 'relu6.max'], output: [o], attribute: [] });
        break;
      case 'add':
        nodes.push({ name: n.name, op_type: 'Add', input: [x, read(n.inputs[1])], output: [o], attribute: [] });
        break;
      case 'max_pool':
        nodes.push({
          name: n.name, op_type: 'MaxPool', input: [x], output: [o],
          attribute: [ints('kernel_shape', [n.size, n.size]), ints('strides', [n.stride, n.stride]), ints('pads', [n.padding, n.padding, n.padding, n.padding])],
        });
        break;
      case 'global_avg_pool':
        nodes.push({ name: `${n.name}.gap`, op_type: 'GlobalAveragePool', input: [x], output: [`${n.name}.gap`], attribute: [] });
        nodes.push({ name: n.name, op_type: 'Flatten', input: [`${n.name}.gap`], output: [o], attribute: [int('axis', 1)] });
        break;
      case 'linear': {
        const [w, b] = params(n);
        nodes.push({ name: n.name, op_type: 'Gemm', input: [x, w, b], output: [o], attribute: [int('transB', 1)] });
        break;
      }
    }
    const fusedIntoActivation = (n.op === 'conv' || n.op === 'add') && (readers.get(n.name) ?? []).length === 1 && ['relu', 'relu6'].includes(readers.get(n.name)![0]!.op);
    if (quant && n.name !== last && !fusedIntoActivation) quantizeActivation(n.name, o);
  }
  if (clipBounds) init.push(tensorProto('relu6.min', ONNX_DTYPE.FLOAT, [], new Float32Array([0])), tensorProto('relu6.max', ONNX_DTYPE.FLOAT, [], new Float32Array([6])));

  const [h, w, c] = graph.input_shape;
  const model = {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: OPSET }],
    producer_name: 'tfrazor',
    producer_version: '0.1.0',
    doc_string: opts.docString ?? '',
    graph: {
      name: 'tfrazor_subnet',
      node: nodes,
      initializer: init,
      input: [valueInfo(ONNX_INPUT, ['batch', c, h, w])],
      output: [valueInfo(ONNX_OUTPUT, opts.outputDims ?? ['batch', graph.num_classes])],
    },
  };
  const type = onnxType('ModelProto');
  const problem = type.verify(model);
  if (problem) throw new Error(`ONNX export built an invalid ModelProto: ${problem}`);
  return type.encode(type.fromObject(model)).finish();
}

/** Symmetric int8 per output channel (axis 0): scale = max |w| / 127 per channel. */
export function quantizeWeightPerChannel(w: DeployTensor): { values: Int8Array; scales: Float32Array } {
  const co = w.shape[0]!;
  const per = w.values.length / co;
  const values = new Int8Array(w.values.length);
  const scales = new Float32Array(co);
  for (let o = 0; o < co; o++) {
    let m = 0;
    for (let j = 0; j < per; j++) m = Math.max(m, Math.abs(w.values[o * per + j]!));
    const s = m > 0 ? m / 127 : 1;
    scales[o] = s;
    for (let j = 0; j < per; j++) values[o * per + j] = Math.max(-127, Math.min(127, Math.round(w.values[o * per + j]! / s)));
  }
  return { values, scales };
}
