import { tf, type Tensor } from '../../tf.js';
import type { Module } from '../../models/module.js';
import type { DynamicConv2d } from '../../models/ops/dynamic_conv2d.js';
import type { DynamicBatchNorm2d } from '../../models/ops/dynamic_batchnorm2d.js';
import { DynamicLinear } from '../../models/ops/dynamic_linear.js';
import { DynamicSequential } from '../../models/ops/dynamic_sequential.js';
import { ConvBn } from '../../models/conv_bn.js';
import { BasicBlock, Bottleneck } from '../../models/resnet_blocks.js';
import { ResNetStem } from '../../models/resnet_supernet.js';
import { InvertedResidual } from '../../models/mobilenet_supernet.js';
import type { Supernet } from '../../models/types.js';
import { UserError } from '../../errors.js';

/** One op of a fixed network; `inputs` name earlier nodes ('input' is the image). */
export type GraphNode =
  /** `groups` = in_channels = out_channels is a depthwise conv (weight [k, k, c, 1]); absent = 1. */
  | { op: 'conv2d'; name: string; inputs: [string]; in_channels: number; out_channels: number; kernel_size: number; stride: number; padding: number; groups?: number }
  | { op: 'batch_norm'; name: string; inputs: [string]; channels: number; eps: number }
  | { op: 'relu'; name: string; inputs: [string] }
  | { op: 'relu6'; name: string; inputs: [string] }
  | { op: 'add'; name: string; inputs: [string, string] }
  | { op: 'max_pool'; name: string; inputs: [string]; size: number; stride: number; padding: number }
  | { op: 'global_avg_pool'; name: string; inputs: [string] }
  | { op: 'linear'; name: string; inputs: [string]; in_features: number; out_features: number; bias: boolean };

/** A fixed network as data: input shape [H, W, C], class count and ops in execution order. */
export interface SubnetGraph {
  input_shape: [number, number, number];
  num_classes: number;
  nodes: GraphNode[];
}

export interface ExtractedSubnet {
  graph: SubnetGraph;
  /** Sliced weights by `<node name>.<weight name>` (FixedNet state-dict names); the caller disposes them. */
  weights: Record<string, Tensor>;
}

export class SubnetExportError extends UserError {}

/** A depthwise conv node: one group per channel (weight [k, k, c, 1] in tfrazor's layout). */
export function isDepthwise(n: GraphNode): boolean {
  return n.op === 'conv2d' && n.groups !== undefined && n.groups > 1 && n.groups === n.in_channels && n.in_channels === n.out_channels;
}

/**
 * The active subnet of a supernet as a fixed graph plus the slices of the shared weights it uses
 * (first channels, centre of kernels, first blocks). Node names are the supernet's module paths,
 * so exported weight names match the supernet's. Knows the ResNet and MobileNet families' modules
 * (stems, dynamic sequential stages, residual and inverted-residual blocks of conv-BN units,
 * linear head); any other module is refused.
 */
export function extractSubnetGraph(supernet: Supernet, opts: { weights?: boolean } = {}): ExtractedSubnet {
  // Without weights (opts.weights false) only the graph is built: no tensor is sliced.
  const withWeights = opts.weights ?? true;
  const nodes: GraphNode[] = [];
  const weights: Record<string, Tensor> = {};
  const paths = new Map<Module, string>(supernet.namedModules().map(([p, m]) => [m, p]));
  const pathOf = (m: Module): string => paths.get(m)!;
  let pooled = false;

  const conv = (m: DynamicConv2d, input: string): string => {
    const name = pathOf(m);
    const k = m.kernelSize.currentValue;
    const cin = m.inChannels.currentChannels;
    nodes.push({
      op: 'conv2d', name, inputs: [input], in_channels: cin,
      out_channels: m.outChannels.currentChannels, kernel_size: k, stride: m.stride, padding: Math.floor(k / 2),
      ...(m.depthwise ? { groups: cin } : {}),
    });
    if (withWeights) weights[`${name}.weight`] = tf.tidy(() => tf.clone(m.activeWeight()));
    return name;
  };
  const bn = (m: DynamicBatchNorm2d, input: string): string => {
    const name = pathOf(m);
    const c = m.channels.currentChannels;
    nodes.push({ op: 'batch_norm', name, inputs: [input], channels: c, eps: m.eps });
    const slice = (v: tf.Variable | undefined) => tf.tidy(() => tf.slice(v!, 0, c));
    if (withWeights) {
      weights[`${name}.gamma`] = slice(m.gamma);
      weights[`${name}.beta`] = slice(m.beta);
      weights[`${name}.running_mean`] = slice(m.runningMean);
      weights[`${name}.running_var`] = slice(m.runningVar);
    }
    return name;
  };
  const relu = (name: string, input: string, op: 'relu' | 'relu6' = 'relu'): string => {
    nodes.push({ op, name, inputs: [input] });
    return name;
  };
  const convBn = (u: ConvBn, input: string): string => {
    const y = bn(u.bn, conv(u.conv, input));
    return u.act === 'none' ? y : relu(`${pathOf(u)}.${u.act}`, y, u.act);
  };
  const linear = (m: DynamicLinear, input: string): string => {
    let x = input;
    if (!pooled) {
      x = `${pathOf(m)}.pool`;
      nodes.push({ op: 'global_avg_pool', name: x, inputs: [input] });
      pooled = true;
    }
    const name = pathOf(m);
    const cin = m.inFeatures.currentChannels;
    const cout = m.outFeatures.currentChannels;
    nodes.push({ op: 'linear', name, inputs: [x], in_features: cin, out_features: cout, bias: m.hasBias });
    if (withWeights) {
      weights[`${name}.weight`] = tf.tidy(() => tf.slice(m.weight!, [0, 0], [cin, cout]));
      if (m.hasBias) weights[`${name}.bias`] = tf.tidy(() => tf.slice(m.bias!, 0, cout));
    }
    return name;
  };
  // Residual blocks: their conv-BN units in order (conv1, conv2, ...), then add the shortcut and ReLU.
  const residual = (block: BasicBlock | Bottleneck, input: string): string => {
    const children = new Map(block.namedChildren());
    const branch = [...children.keys()].filter((k) => /^conv\d+$/.test(k)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
    let y = input;
    for (const k of branch) y = convBn(children.get(k) as ConvBn, y);
    const sc = children.get('shortcut');
    const skip = sc ? convBn(sc as ConvBn, input) : input;
    const sum = `${pathOf(block)}.add`;
    nodes.push({ op: 'add', name: sum, inputs: [y, skip] });
    return relu(`${pathOf(block)}.relu`, sum);
  };
  // MobileNetV2 inverted residual: expand, depthwise, project; identity added (no activation) when shapes match.
  const inverted = (block: InvertedResidual, input: string): string => {
    const y = convBn(block.project, convBn(block.depthwise, convBn(block.expand, input)));
    if (!block.residual) return y;
    const sum = `${pathOf(block)}.add`;
    nodes.push({ op: 'add', name: sum, inputs: [y, input] });
    return sum;
  };
  const visit = (m: Module, input: string): string => {
    if (m instanceof ResNetStem) {
      const y = convBn(m, input);
      if (!m.stemCfg.max_pool) return y;
      if (m.act === 'none') throw new SubnetExportError('Export: a max pool must follow a ReLU (its zero padding is exact only for non-negative inputs).');
      const name = `${pathOf(m)}.pool`;
      nodes.push({ op: 'max_pool', name, inputs: [y], size: 3, stride: 2, padding: 1 });
      return name;
    }
    if (m instanceof DynamicSequential) return m.activeBlocks().reduce((x, b) => visit(b, x), input);
    if (m instanceof ConvBn) return convBn(m, input);
    if (m instanceof DynamicLinear) return linear(m, input);
    if (m instanceof BasicBlock || m instanceof Bottleneck) return residual(m, input);
    if (m instanceof InvertedResidual) return inverted(m, input);
    throw new SubnetExportError(
      `Export does not know how to write module '${pathOf(m)}' (${m.constructor.name}); supported: ResNet stems, stages and residual blocks, MobileNet inverted residuals, conv-BN units and linear heads.`,
    );
  };

  try {
    let x = 'input';
    for (const [, child] of supernet.namedChildren()) x = visit(child, x);
    if (nodes.at(-1)?.op !== 'linear') throw new SubnetExportError('Export: the network does not end with a linear head.');
  } catch (e) {
    tf.dispose(Object.values(weights));
    throw e;
  }
  return {
    graph: { input_shape: [...supernet.inputShape], num_classes: supernet.numClasses, nodes },
    weights,
  };
}
