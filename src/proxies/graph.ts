import type { Module } from '../models/module.js';
import { ConvBn } from '../models/conv_bn.js';
import { BasicBlock, Bottleneck } from '../models/resnet_blocks.js';
import { InvertedResidual } from '../models/mobilenet_supernet.js';
import { ResNetStem } from '../models/resnet_supernet.js';
import { DynamicBatchNorm2d } from '../models/ops/dynamic_batchnorm2d.js';
import { DynamicConv2d } from '../models/ops/dynamic_conv2d.js';
import { DynamicLinear } from '../models/ops/dynamic_linear.js';
import { DynamicSequential } from '../models/ops/dynamic_sequential.js';
import type { Supernet } from '../models/types.js';
import { ProxyError } from './types.js';

/** A conv of the active subnet: its current widths, kernel and stride, and the module holding its shared weight. */
export interface ConvOp {
  op: 'conv';
  name: string;
  cin: number;
  cout: number;
  kernel: number;
  stride: number;
  depthwise: boolean;
  module: DynamicConv2d;
}

export interface BatchNormOp {
  op: 'bn';
  name: string;
  channels: number;
  eps: number;
  module: DynamicBatchNorm2d;
}

export interface LinearOp {
  op: 'linear';
  name: string;
  cin: number;
  cout: number;
  bias: boolean;
  module: DynamicLinear;
}

/** A residual unit: `post(branch(x) + shortcut(x))`; `shortcut: null` is the identity. */
export interface ResidualOp {
  op: 'residual';
  name: string;
  branch: ProxyOp[];
  shortcut: ProxyOp[] | null;
  post: 'relu' | 'none';
}

export type ProxyOp =
  | ConvOp
  | BatchNormOp
  | LinearOp
  | ResidualOp
  | { op: 'act'; fn: 'relu' | 'relu6' }
  | { op: 'max_pool'; size: number; stride: number; pad: number }
  | { op: 'gap' };

/** The active subnet of a supernet as plain ops, so proxies can run it their own way (no BN, no residuals, ...). */
export interface ProxyGraph {
  inputShape: [number, number, number];
  numClasses: number;
  ops: ProxyOp[];
}

/**
 * The structure of the supernet's active subnet: the blocks of the current depths, the current
 * widths and kernels. Knows the shipped families (ResNet stems, stages and Basic/Bottleneck blocks,
 * MobileNet inverted residuals, conv-BN units, linear heads); any other module is refused by name.
 */
export function extractProxyGraph(supernet: Supernet): ProxyGraph {
  const paths = new Map<Module, string>(supernet.namedModules().map(([p, m]) => [m, p]));
  const pathOf = (m: Module): string => paths.get(m) ?? m.constructor.name;
  let pooled = false;

  const convBn = (u: ConvBn): ProxyOp[] => {
    const c = u.conv;
    const ops: ProxyOp[] = [
      {
        op: 'conv', name: pathOf(c), cin: c.inChannels.currentChannels, cout: c.outChannels.currentChannels,
        kernel: c.kernelSize.currentValue, stride: c.stride, depthwise: c.depthwise, module: c,
      },
      { op: 'bn', name: pathOf(u.bn), channels: u.bn.channels.currentChannels, eps: u.bn.eps, module: u.bn },
    ];
    if (u.act !== 'none') ops.push({ op: 'act', fn: u.act });
    return ops;
  };
  const visit = (m: Module): ProxyOp[] => {
    if (m instanceof ResNetStem) {
      const ops = convBn(m);
      return m.stemCfg.max_pool ? [...ops, { op: 'max_pool', size: 3, stride: 2, pad: 1 }] : ops;
    }
    if (m instanceof ConvBn) return convBn(m);
    if (m instanceof DynamicSequential) return m.activeBlocks().flatMap((b) => visit(b));
    if (m instanceof BasicBlock || m instanceof Bottleneck) {
      const children = new Map(m.namedChildren());
      const branch = [...children.keys()].filter((k) => /^conv\d+$/.test(k)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
      const sc = children.get('shortcut');
      return [{
        op: 'residual', name: pathOf(m), branch: branch.flatMap((k) => convBn(children.get(k) as ConvBn)),
        shortcut: sc ? convBn(sc as ConvBn) : null, post: 'relu',
      }];
    }
    if (m instanceof InvertedResidual) {
      const branch = [m.expand, m.depthwise, m.project].flatMap((u) => convBn(u));
      return m.residual ? [{ op: 'residual', name: pathOf(m), branch, shortcut: null, post: 'none' }] : branch;
    }
    if (m instanceof DynamicLinear) {
      const ops: ProxyOp[] = pooled ? [] : [{ op: 'gap' }];
      pooled = true;
      ops.push({
        op: 'linear', name: pathOf(m), cin: m.inFeatures.currentChannels, cout: m.outFeatures.currentChannels, bias: m.hasBias, module: m,
      });
      return ops;
    }
    throw new ProxyError(
      `Zero-cost proxies do not know module '${pathOf(m)}' (${m.constructor.name}); supported: ResNet stems, stages and ` +
        'Basic/Bottleneck blocks, MobileNet inverted residuals, conv-BN units and linear heads.',
    );
  };

  const ops = supernet.namedChildren().flatMap(([, child]) => visit(child));
  if (ops.at(-1)?.op !== 'linear') throw new ProxyError('Zero-cost proxies: the network does not end with a linear head.');
  return { inputShape: [...supernet.inputShape], numClasses: supernet.numClasses, ops };
}

/** Every conv, BN and linear op of a graph in execution order (residual branches before shortcuts). */
export function flatOps(ops: readonly ProxyOp[]): (ConvOp | BatchNormOp | LinearOp)[] {
  const out: (ConvOp | BatchNormOp | LinearOp)[] = [];
  for (const o of ops) {
    if (o.op === 'conv' || o.op === 'bn' || o.op === 'linear') out.push(o);
    else if (o.op === 'residual') out.push(...flatOps(o.branch), ...flatOps(o.shortcut ?? []));
  }
  return out;
}
