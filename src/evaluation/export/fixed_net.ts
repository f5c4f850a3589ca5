import { tf, type Tensor, type Tensor2D, type Tensor4D } from '../../tf.js';
import { Module } from '../../models/module.js';
import type { Classifier } from '../../models/types.js';
import { DynamicConv2d } from '../../models/ops/dynamic_conv2d.js';
import { DynamicBatchNorm2d } from '../../models/ops/dynamic_batchnorm2d.js';
import { DynamicLinear } from '../../models/ops/dynamic_linear.js';
import { buildContext } from '../../models/ops/build_context.js';
import { fixedChannels } from '../../mutables/sources.js';
import { MODELS } from '../../registry/registries.js';
import { closestWeights, readCheckpointTensors, resolveCheckpointPath, selectWeights } from '../../algorithms/checkpoint_weights.js';
import { loadCheckpointState } from '../../engine/checkpoint_fit.js';
import { isDepthwise, SubnetExportError, type GraphNode, type SubnetGraph } from './subnet_graph.js';

export interface FixedNetConfig extends SubnetGraph {
  type?: string;
  /** BN momentum for fine-tuning (null: cumulative average). */
  bn_momentum: number | null;
  init_seed: number;
  /** Checkpoint to start from (the exported subnet.ckpt), so training the config fine-tunes the export. */
  init_checkpoint?: string | null;
}

const NODE_SCHEMA = {
  type: 'object',
  description: 'One op: conv2d, batch_norm, relu, relu6, add, max_pool, global_avg_pool or linear, with its inputs (earlier node names or "input").',
  properties: {
    op: { type: 'string', enum: ['conv2d', 'batch_norm', 'relu', 'relu6', 'add', 'max_pool', 'global_avg_pool', 'linear'], description: 'The operation.' },
    name: { type: 'string', description: 'Unique node name; parameters are saved as <name>.<weight>.' },
    inputs: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2, description: 'Input node names.' },
    in_channels: { type: 'integer', minimum: 1, description: 'conv2d input channels.' },
    out_channels: { type: 'integer', minimum: 1, description: 'conv2d output channels.' },
    kernel_size: { type: 'integer', minimum: 1, 'x-odd': true, description: 'conv2d kernel size (odd).' },
    stride: { type: 'integer', minimum: 1, description: 'conv2d / max_pool stride.' },
    padding: { type: 'integer', minimum: 0, description: 'Symmetric zero padding of conv2d / max_pool.' },
    groups: { type: 'integer', minimum: 1, description: 'conv2d groups: absent or 1, or in_channels = out_channels (depthwise).' },
    size: { type: 'integer', minimum: 1, description: 'max_pool window.' },
    channels: { type: 'integer', minimum: 1, description: 'batch_norm channels.' },
    eps: { type: 'number', description: 'batch_norm epsilon.' },
    in_features: { type: 'integer', minimum: 1, description: 'linear input features.' },
    out_features: { type: 'integer', minimum: 1, description: 'linear output features.' },
    bias: { type: 'boolean', description: 'linear has a bias.' },
  },
  required: ['op', 'name', 'inputs'],
  additionalProperties: false,
};

export const FIXED_NET_SCHEMA = {
  type: 'object',
  properties: {
    input_shape: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 3, maxItems: 3, description: 'Input [H, W, C].' },
    num_classes: { type: 'integer', minimum: 1, description: 'Classes (the last linear node\'s out_features).' },
    nodes: { type: 'array', items: NODE_SCHEMA, minItems: 1, description: 'Ops in execution order (written by tools/export_subnet.ts).' },
    bn_momentum: { type: ['number', 'null'], default: 0.1, description: 'BN running-statistics momentum when fine-tuning.' },
    init_seed: { type: 'integer', default: 0, description: 'Seed of the initial weights when there is no init_checkpoint.' },
    init_checkpoint: { type: ['string', 'null'], description: 'tfrazor checkpoint whose weights initialise the network (tools/export_subnet.ts points it to subnet.ckpt, so tools/train.ts fine-tunes the export); null: seeded random init.' },
  },
  required: ['input_shape', 'num_classes', 'nodes'],
  additionalProperties: false,
};

type Op = DynamicConv2d | DynamicBatchNorm2d | DynamicLinear;

/**
 * A fixed (non-searchable) network given as a list of ops: what tools/export_subnet.ts writes for
 * a subnet, so it loads, evaluates and fine-tunes without the supernet. Its BN layers are ordinary
 * batch norms (calibrateBatchNorm works on it); parameter names are `<node name>.<weight>`.
 */
export class FixedNet extends Module implements Classifier {
  readonly numClasses: number;
  readonly inputShape: [number, number, number];
  readonly nodes: readonly GraphNode[];
  private readonly ops = new Map<string, Op>();

  constructor(cfg: Partial<FixedNetConfig> & SubnetGraph) {
    super();
    this.numClasses = cfg.num_classes;
    this.inputShape = [...cfg.input_shape];
    this.nodes = cfg.nodes;
    const ctx = buildContext({ seed: cfg.init_seed ?? 0 });
    const momentum = cfg.bn_momentum === undefined ? 0.1 : cfg.bn_momentum;
    const seen = new Set(['input']);
    for (const n of cfg.nodes) {
      for (const i of n.inputs) {
        if (!seen.has(i)) throw new SubnetExportError(`FixedNet: node '${n.name}' reads '${i}', which is not an earlier node (or 'input').`);
      }
      if (seen.has(n.name)) throw new SubnetExportError(`FixedNet: node name '${n.name}' is used twice.`);
      seen.add(n.name);
      const op = buildOp(n, momentum, ctx);
      if (op) this.ops.set(n.name, this.addModule(n.name, op));
    }
    if (cfg.init_checkpoint) this.loadInitialWeights(cfg.init_checkpoint);
    const last = cfg.nodes.at(-1)!;
    if (last.op !== 'linear' || last.out_features !== cfg.num_classes) {
      throw new SubnetExportError(`FixedNet: the last node must be a linear layer with ${cfg.num_classes} outputs (num_classes), got '${last.name}' (${last.op}).`);
    }
  }

  private loadInitialWeights(path: string): void {
    const tensors = readCheckpointTensors(path);
    try {
      const names = Object.keys(this.stateDict());
      const picked = selectWeights(tensors, names) ?? closestWeights(tensors, names);
      if (!picked) throw new SubnetExportError(`FixedNet init_checkpoint ${path} does not hold this network's weights (was it exported for another subnet?).`);
      loadCheckpointState(this, picked, resolveCheckpointPath(path), 'this FixedNet (model.architecture.init_checkpoint)');
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  forward(x: Tensor4D): Tensor2D {
    const values = new Map<string, Tensor>([['input', x]]);
    for (const n of this.nodes) {
      const a = values.get(n.inputs[0])!;
      let y: Tensor;
      switch (n.op) {
        case 'conv2d':
        case 'batch_norm':
          y = (this.ops.get(n.name) as DynamicConv2d | DynamicBatchNorm2d).forward(a as Tensor4D);
          break;
        case 'linear':
          y = (this.ops.get(n.name) as DynamicLinear).forward(a as Tensor2D);
          break;
        case 'relu':
          y = tf.relu(a);
          break;
        case 'relu6':
          y = tf.relu6(a);
          break;
        case 'add':
          y = tf.add(a, values.get(n.inputs[1]!)!);
          break;
        case 'max_pool':
          y = tf.maxPool(a as Tensor4D, n.size, n.stride, n.padding);
          break;
        case 'global_avg_pool':
          y = tf.mean(a, [1, 2]);
          break;
      }
      values.set(n.name, y);
    }
    return values.get(this.nodes.at(-1)!.name) as Tensor2D;
  }
}

function buildOp(n: GraphNode, momentum: number | null, ctx: ReturnType<typeof buildContext>): Op | undefined {
  switch (n.op) {
    case 'conv2d':
      if (n.padding !== Math.floor(n.kernel_size / 2)) {
        throw new SubnetExportError(`FixedNet: conv '${n.name}' has padding ${n.padding}; only 'same-size' padding kernel_size // 2 is supported.`);
      }
      if (isDepthwise(n)) return new DynamicConv2d({ inChannels: fixedChannels(n.in_channels), kernelSize: n.kernel_size, stride: n.stride, depthwise: true }, ctx);
      if ((n.groups ?? 1) !== 1) {
        throw new SubnetExportError(`FixedNet: conv '${n.name}' has groups ${n.groups}; only 1 or in_channels = out_channels (depthwise) are supported.`);
      }
      return new DynamicConv2d({ inChannels: fixedChannels(n.in_channels), outChannels: fixedChannels(n.out_channels), kernelSize: n.kernel_size, stride: n.stride }, ctx);
    case 'batch_norm':
      return new DynamicBatchNorm2d({ channels: fixedChannels(n.channels), eps: n.eps, momentum }, ctx);
    case 'linear':
      return new DynamicLinear({ inFeatures: fixedChannels(n.in_features), outFeatures: fixedChannels(n.out_features), bias: n.bias }, ctx);
    default:
      return undefined;
  }
}

MODELS.register('FixedNet', FixedNet, { schema: FIXED_NET_SCHEMA });
