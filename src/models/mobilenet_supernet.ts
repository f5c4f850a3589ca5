import { tf, type Tensor4D } from '../tf.js';
import { Module } from './module.js';
import { MutableValue } from '../mutables/mutable_value.js';
import { DerivedMutable } from '../mutables/derived_mutable.js';
import { makeDivisible } from '../mutables/make_divisible.js';
import { fixedChannels, type ChannelSource } from '../mutables/sources.js';
import type { Mutable } from '../mutables/types.js';
import { buildContext, type BuildContext } from './ops/build_context.js';
import { chainCosts, type ModuleCost, type SpatialSize } from './ops/cost.js';
import { DynamicLinear } from './ops/dynamic_linear.js';
import { DynamicSequential, type Layer } from './ops/dynamic_sequential.js';
import { ConvBn, type NormOptions } from './conv_bn.js';
import { DynamicSupernet, type SupernetBuildOptions } from './supernet_base.js';
import { SupernetConfigError } from './errors.js';

export interface MobileNetStageConfig {
  out_channels: number;
  depth_choices: number[];
  stride: number;
}

export interface MobileNetSupernetConfig {
  in_channels: number;
  input_size: number;
  num_classes: number;
  stem: { out_channels: number; kernel_size: number; stride: number };
  stages: MobileNetStageConfig[];
  expand_ratios: number[];
  kernel_sizes: number[];
  /** Width of the 1x1 conv before pooling (0: none). */
  head_channels: number;
  divisor: number;
  bn_momentum: number | null;
  bn_eps: number;
  zero_init_residual: boolean;
  init_seed: number;
}

export type MobileNetSupernetInput = Partial<Omit<MobileNetSupernetConfig, 'stem'>> & {
  stem?: Partial<MobileNetSupernetConfig['stem']>;
  stages: MobileNetStageConfig[];
};

export const MOBILENET_DEFAULTS: Omit<MobileNetSupernetConfig, 'stages'> = {
  in_channels: 3,
  input_size: 224,
  num_classes: 1000,
  stem: { out_channels: 32, kernel_size: 3, stride: 2 },
  expand_ratios: [3, 4, 6],
  kernel_sizes: [3, 5, 7],
  head_channels: 1280,
  divisor: 8,
  bn_momentum: 0.1,
  bn_eps: 1e-5,
  zero_init_residual: false,
  init_seed: 0,
};

/**
 * MobileNetV2 inverted residual: 1x1 expand (in x expand_ratio) BN ReLU6, depthwise kxk BN ReLU6,
 * 1x1 project BN, + identity when stride 1 and widths match. The expanded width is derived from
 * the expand-ratio choice; the kernel-size choice slices the centre of the largest kernel.
 */
export class InvertedResidual extends Module implements Layer {
  readonly expand: ConvBn;
  readonly depthwise: ConvBn;
  readonly project: ConvBn;
  readonly residual: boolean;

  constructor(inCh: number, outCh: number, stride: number, expandRatio: MutableValue, kernelSize: MutableValue, divisor: number, norm: NormOptions, ctx: BuildContext) {
    super();
    const mid = new DerivedMutable(`${expandRatio.alias}.channels`, [expandRatio], (e) => makeDivisible(inCh * e, divisor));
    this.expand = this.addModule('expand', new ConvBn({ in: fixedChannels(inCh), out: mid, kernel: 1, act: 'relu6' }, norm, ctx));
    this.depthwise = this.addModule('depthwise', new ConvBn({ in: mid, kernel: kernelSize, stride, act: 'relu6', depthwise: true }, norm, ctx));
    this.project = this.addModule('project', new ConvBn({ in: mid, out: fixedChannels(outCh), kernel: 1, act: 'none', zeroInitGamma: norm.zeroInitResidual }, norm, ctx));
    this.residual = stride === 1 && inCh === outCh;
  }

  forward(x: Tensor4D): Tensor4D {
    const y = this.project.forward(this.depthwise.forward(this.expand.forward(x)));
    return this.residual ? (tf.add(y, x) as Tensor4D) : y;
  }

  cost(input: SpatialSize): ModuleCost {
    return chainCosts(input, [this.expand, this.depthwise, this.project]);
  }
}

/**
 * A MobileNetV2-like supernet. Aliases: `stage{i}.depth`, `stage{i}.block{j}.expand_ratio`,
 * `stage{i}.block{j}.kernel_size` (i, j from 1). Stage widths are fixed.
 */
export class MobileNetSupernet extends DynamicSupernet {
  readonly cfg: MobileNetSupernetConfig;
  readonly numClasses: number;
  readonly inputShape: [number, number, number];
  readonly stem: ConvBn;
  readonly stages: DynamicSequential[];
  readonly headConv: ConvBn | undefined;
  readonly fc: DynamicLinear;
  private readonly ordered: Mutable[] = [];

  constructor(input: MobileNetSupernetInput, opts: SupernetBuildOptions = {}) {
    super();
    const cfg = resolveMobileNetConfig(input);
    this.cfg = cfg;
    this.numClasses = cfg.num_classes;
    this.inputShape = [cfg.input_size, cfg.input_size, cfg.in_channels];
    const ctx = opts.ctx ?? buildContext({ seed: cfg.init_seed });
    const norm: NormOptions = { momentum: cfg.bn_momentum, eps: cfg.bn_eps, zeroInitResidual: cfg.zero_init_residual };
    this.stem = this.addModule('stem', new ConvBn({
      in: fixedChannels(cfg.in_channels), out: fixedChannels(cfg.stem.out_channels), kernel: cfg.stem.kernel_size, stride: cfg.stem.stride, act: 'relu6',
    }, norm, ctx));
    let inCh = cfg.stem.out_channels;
    this.stages = cfg.stages.map((s, si) => {
      const depth = new MutableValue({ alias: `stage${si + 1}.depth`, choices: s.depth_choices });
      this.ordered.push(depth);
      const blocks: Layer[] = [];
      for (let j = 0; j < Math.max(...s.depth_choices); j++) {
        const prefix = `stage${si + 1}.block${j + 1}`;
        const e = new MutableValue({ alias: `${prefix}.expand_ratio`, choices: cfg.expand_ratios });
        const k = new MutableValue({ alias: `${prefix}.kernel_size`, choices: cfg.kernel_sizes });
        this.ordered.push(e, k);
        blocks.push(new InvertedResidual(inCh, s.out_channels, j === 0 ? s.stride : 1, e, k, cfg.divisor, norm, ctx));
        inCh = s.out_channels;
      }
      return this.addModule(`stage${si + 1}`, new DynamicSequential(blocks, depth));
    });
    let features: ChannelSource = fixedChannels(inCh);
    if (cfg.head_channels > 0) {
      this.headConv = this.addModule('head_conv', new ConvBn({ in: features, out: fixedChannels(cfg.head_channels), kernel: 1, act: 'relu6' }, norm, ctx));
      features = fixedChannels(cfg.head_channels);
    }
    this.fc = this.addModule('fc', new DynamicLinear({ inFeatures: features, outFeatures: fixedChannels(cfg.num_classes) }, ctx));
  }

  protected override searchableMutables(): Mutable[] {
    return this.ordered;
  }

  protected bodyLayers() {
    return this.headConv ? [this.stem, ...this.stages, this.headConv] : [this.stem, ...this.stages];
  }

  protected head(): DynamicLinear {
    return this.fc;
  }
}

export function resolveMobileNetConfig(input: MobileNetSupernetInput): MobileNetSupernetConfig {
  const { type: _type, ...rest } = input as MobileNetSupernetInput & { type?: string };
  const cfg = { ...MOBILENET_DEFAULTS, ...rest, stem: { ...MOBILENET_DEFAULTS.stem, ...input.stem } } as MobileNetSupernetConfig;
  if (!Array.isArray(cfg.stages) || cfg.stages.length === 0) {
    throw new SupernetConfigError('MobileNetSupernet: stages must be a non-empty list.', 'stages', cfg.stages);
  }
  const badKernel = cfg.kernel_sizes.find((k) => k % 2 !== 1);
  if (badKernel !== undefined) {
    throw new SupernetConfigError(`MobileNetSupernet: kernel_sizes must be odd (centre slicing), got ${badKernel}.`, 'kernel_sizes', cfg.kernel_sizes);
  }
  cfg.stages.forEach((s, i) => {
    if (!Array.isArray(s.depth_choices) || s.depth_choices.length === 0 || s.depth_choices.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new SupernetConfigError(`MobileNetSupernet: stages.${i}.depth_choices must be positive integers, got ${JSON.stringify(s.depth_choices)}.`, `stages.${i}.depth_choices`, s.depth_choices);
    }
  });
  return cfg;
}
