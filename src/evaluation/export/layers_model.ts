import { tf, type Tensor } from '../../tf.js';
import { isDepthwise, SubnetExportError, type SubnetGraph } from './subnet_graph.js';

type SymbolicTensor = tf.SymbolicTensor;

/** A TF.js layer name from a node name (dots are not allowed in Keras names). */
const layerName = (node: string, suffix = ''): string => `${node.replace(/[^A-Za-z0-9_]/g, '_')}${suffix}`;

/**
 * The fixed subnet as a tfjs-layers functional model with the given weights, for browsers and any
 * TF.js runtime. Symmetric padding is written as ZeroPadding2D + 'valid' where Keras 'same'
 * would pad asymmetrically (strided convs, the max pool); zero padding before a max pool is exact
 * because its input comes from a ReLU (checked at extraction). BN uses the running statistics.
 */
export function buildLayersModel(graph: SubnetGraph, weights: Record<string, Tensor>): tf.LayersModel {
  const input = tf.input({ shape: graph.input_shape, name: 'input' });
  const values = new Map<string, SymbolicTensor>([['input', input]]);
  const assignments: [tf.layers.Layer, Tensor[]][] = [];
  const w = (name: string): Tensor => {
    const t = weights[name];
    if (!t) throw new SubnetExportError(`LayersModel export: weight '${name}' is missing.`);
    return t;
  };
  const apply = (layer: tf.layers.Layer, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor => layer.apply(x) as SymbolicTensor;

  for (const n of graph.nodes) {
    const x = values.get(n.inputs[0])!;
    let y: SymbolicTensor;
    switch (n.op) {
      case 'conv2d': {
        const same = n.stride === 1 && n.padding === Math.floor(n.kernel_size / 2);
        const padded = same || n.padding === 0 ? x : apply(tf.layers.zeroPadding2d({ padding: n.padding, name: layerName(n.name, '_pad') }), x);
        const common = { kernelSize: n.kernel_size, strides: n.stride, padding: same ? 'same' : 'valid', useBias: false, name: layerName(n.name) } as const;
        const conv = isDepthwise(n)
          ? tf.layers.depthwiseConv2d({ ...common, depthMultiplier: 1 })
          : tf.layers.conv2d({ ...common, filters: n.out_channels });
        y = apply(conv, padded);
        assignments.push([conv, [w(`${n.name}.weight`)]]);
        break;
      }
      case 'batch_norm': {
        const layer = tf.layers.batchNormalization({ axis: -1, epsilon: n.eps, name: layerName(n.name) });
        y = apply(layer, x);
        assignments.push([layer, ['gamma', 'beta', 'running_mean', 'running_var'].map((k) => w(`${n.name}.${k}`))]);
        break;
      }
      case 'relu':
        y = apply(tf.layers.reLU({ name: layerName(n.name) }), x);
        break;
      case 'relu6':
        y = apply(tf.layers.reLU({ maxValue: 6, name: layerName(n.name) }), x);
        break;
      case 'add':
        y = apply(tf.layers.add({ name: layerName(n.name) }), [x, values.get(n.inputs[1]!)!]);
        break;
      case 'max_pool': {
        const padded = n.padding === 0 ? x : apply(tf.layers.zeroPadding2d({ padding: n.padding, name: layerName(n.name, '_pad') }), x);
        y = apply(tf.layers.maxPooling2d({ poolSize: n.size, strides: n.stride, padding: 'valid', name: layerName(n.name) }), padded);
        break;
      }
      case 'global_avg_pool':
        y = apply(tf.layers.globalAveragePooling2d({ name: layerName(n.name) }), x);
        break;
      case 'linear': {
        const dense = tf.layers.dense({ units: n.out_features, useBias: n.bias, name: layerName(n.name) });
        y = apply(dense, x);
        assignments.push([dense, n.bias ? [w(`${n.name}.weight`), w(`${n.name}.bias`)] : [w(`${n.name}.weight`)]]);
        break;
      }
    }
    values.set(n.name, y);
  }
  const model = tf.model({ inputs: input, outputs: values.get(graph.nodes.at(-1)!.name)!, name: 'tfrazor_subnet' });
  for (const [layer, ws] of assignments) layer.setWeights(ws);
  return model;
}
